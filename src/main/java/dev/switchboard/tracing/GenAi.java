package dev.switchboard.tracing;

import dev.switchboard.config.ProviderType;
import dev.switchboard.llm.Protocol;
import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The attribute names and values of the OpenTelemetry GenAI and HTTP semantic conventions that
 * Switchboard's spans carry (docs/operations.md#tracing, which cites semantic-conventions
 * v1.41.1). Stateless.
 */
final class GenAi {
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Double> REQUEST_TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    static final AttributeKey<Boolean> REQUEST_STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    static final AttributeKey<Long> CACHE_CREATION_TOKENS =
            AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
    static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
    static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
    static final AttributeKey<List<String>> FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    /** Seconds from the attempt's start to its first chunk carrying a token. */
    static final AttributeKey<Double> TIME_TO_FIRST_CHUNK =
            AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    /** The configured provider's id, which tells two providers of one type apart. */
    static final AttributeKey<String> SWITCHBOARD_PROVIDER = AttributeKey.stringKey("switchboard.provider");
    /** The configured model id the attempt went to (a client may have named an alias). */
    static final AttributeKey<String> SWITCHBOARD_MODEL = AttributeKey.stringKey("switchboard.model");
    /** Which try on its target this attempt was: 1, then 2 for the first retry, … */
    static final AttributeKey<Long> SWITCHBOARD_TRY = AttributeKey.longKey("switchboard.try");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("switchboard.request_id");

    /** Content capture's JSON attributes (message form of the conventions), on {@link #CONTENT_EVENT}. */
    static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    /** The event an inference span carries its content on, when content capture is on. */
    static final String CONTENT_EVENT = "gen_ai.client.inference.operation.details";

    /** The server span's event when the first token reached the client's queue. */
    static final String FIRST_TOKEN_EVENT = "gen_ai.first_token";

    /** {@code error.type} of an attempt ended because the client left (or the gateway stopped it). */
    static final String CANCELLED = "cancelled";

    private GenAi() {
    }

    /** {@code gen_ai.operation.name}: every door but embeddings generates a chat reply. */
    static String operation(Protocol protocol) {
        return protocol == Protocol.EMBEDDINGS ? "embeddings" : "chat";
    }

    /**
     * {@code gen_ai.provider.name}: the conventions' well-known values where one fits. An
     * OpenAI-compatible provider speaks OpenAI's API whoever serves it; the {@code switchboard.provider}
     * attribute names the configured one.
     */
    static String providerName(ProviderType type) {
        return switch (type) {
            case OPENAI -> "openai";
            case ANTHROPIC -> "anthropic";
            case GEMINI -> "gcp.gemini";
            case ECHO -> "switchboard.echo";
        };
    }
}
