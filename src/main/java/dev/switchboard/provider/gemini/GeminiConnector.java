package dev.switchboard.provider.gemini;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.http.CompletionBody;
import dev.switchboard.provider.http.DecodedStream;
import dev.switchboard.provider.http.HttpConnector;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.provider.http.UpstreamHeaders;
import dev.switchboard.provider.mapping.TranslationBudget;
import dev.switchboard.time.Scheduler;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.Protocol;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hc.core5.net.PercentCodec;

/**
 * Speaks Gemini's native {@code generateContent} API (docs/protocols/openai-to-gemini.md Part A), not Google's
 * OpenAI-compatible shim, so that tools, images, thinking and usage come through whole. Every door
 * (Chat, Messages, Responses) is translated directly: its request in the internal model is mapped
 * ({@link GeminiRequestMapper}), and the reply decoded into it ({@link GeminiReplyDecoder},
 * {@link GeminiStreamDecoder}) for the door's encoder (docs/architecture.md, "As built"); embeddings
 * go to {@code batchEmbedContents} ({@link GeminiEmbeddings}). Shared and stateless: each reply's
 * state lives in its {@link GeminiStreamDecoder}.
 *
 * <p>Calls {@code {baseUrl}/v1beta/models/{model}:generateContent}, or
 * {@code :streamGenerateContent?alt=sse} when streaming (A1, A4: without {@code alt=sse} the
 * stream is one incrementally delivered JSON array). The key goes in the {@code x-goog-api-key}
 * header, as Google's SDK sends it, never in the URL, where it would end up in logs. The mapping
 * rules are listed in docs/providers/gemini.md.
 */
public final class GeminiConnector extends HttpConnector {
    static final String MODELS_PATH = "/v1beta/models/";
    static final String GENERATE = ":generateContent";
    static final String STREAM_GENERATE = ":streamGenerateContent?alt=sse";
    static final String API_KEY_HEADER = "x-goog-api-key";
    static final UpstreamHeaders.KeyHeader KEY_HEADER = new UpstreamHeaders.KeyHeader(API_KEY_HEADER, "");
    /** Gemini's resource-name prefix, which a configured model name may carry (A1: {@code models/gemini-x}). */
    static final String MODEL_RESOURCE_PREFIX = "models/";

    /** Marks reply and tool-call ids Switchboard minted because Gemini sent no responseId. */
    static final String FALLBACK_KEY_PREFIX = "sb";

    public GeminiConnector(UpstreamClient client, Scheduler scheduler) {
        super(client, scheduler);
    }

    /** Every door is served here: embeddings translated to batchEmbedContents, the others from the internal model. */
    @Override
    protected boolean serves(Protocol protocol, ProviderConfig provider) {
        return true;
    }

    @Override
    protected UpstreamRequest upstreamRequest(ProviderCall call) {
        ClientRequest clientRequest = call.request();
        ProviderConfig provider = call.provider();
        TranslationBudget budget = TranslationBudget.of(clientRequest, provider);
        if (clientRequest.protocol() == Protocol.EMBEDDINGS) {
            byte[] body = budget.write(GeminiEmbeddings.request(clientRequest.json(), call.model().upstreamModel()));
            return new UpstreamRequest(URI.create(provider.baseUrl() + MODELS_PATH
                    + modelSegment(call.model().upstreamModel()) + GeminiEmbeddings.BATCH),
                    UpstreamHeaders.of(provider, false, KEY_HEADER, Map.of()), body, provider.timeouts().connectMs());
        }
        ModelConfig model = call.model();
        byte[] body = budget.write(GeminiRequestMapper.map(clientRequest.llmRequest(), clientRequest.protocol(), model,
                budget));
        List<UpstreamRequest.Header> headers = UpstreamHeaders.of(provider, clientRequest.stream(), KEY_HEADER, Map.of());
        URI uri = URI.create(provider.baseUrl() + MODELS_PATH + modelSegment(model.upstreamModel())
                + (clientRequest.stream() ? STREAM_GENERATE : GENERATE));
        return new UpstreamRequest(uri, headers, body, provider.timeouts().connectMs());
    }

    /** An embeddings request of more inputs than one {@code batchEmbedContents} takes goes in parts. */
    @Override
    protected List<ProviderCall> parts(ProviderCall call) {
        if (call.request().protocol() != Protocol.EMBEDDINGS) {
            return List.of(call);
        }
        List<ProviderCall> parts = new ArrayList<>();
        for (ClientRequest part : GeminiEmbeddings.parts(call.request())) {
            parts.add(new ProviderCall(part, call.model(), call.provider(), call.requestId(), call.trace()));
        }
        return parts;
    }

    @Override
    protected CompletionBody joined(ProviderCall call, List<CompletionBody> parts) {
        return GeminiEmbeddings.joined(call.request().model(), parts);
    }

    @Override
    protected GatewayError upstreamError(ProviderConfig provider, UpstreamResponse upstreamResponse, byte[] body, int length) {
        return GeminiErrors.toGateway(provider, upstreamResponse.status(), GeminiErrors.parse(body, length),
                upstreamResponse.header("Retry-After"));
    }

    @Override
    protected CompletionBody completion(ProviderCall call, byte[] body, int length) {
        ClientRequest clientRequest = call.request();
        if (clientRequest.protocol() == Protocol.EMBEDDINGS) {
            return GeminiEmbeddings.completion(call.provider().id(), clientRequest.json(), clientRequest.model(),
                    body, length);
        }
        LlmResponse reply = GeminiReplyDecoder.decode(body, length, context(clientRequest, call.model()));
        return new CompletionBody(clientRequest.format().response(reply, call.requestId()), reply.usage());
    }

    @Override
    protected StreamTranslator streamTranslator(ProviderCall call) {
        ClientRequest clientRequest = call.request();
        return new DecodedStream(new GeminiStreamDecoder(context(clientRequest, call.model())),
                clientRequest.format().streamEncoder(call.requestId()));
    }

    private static ReplyContext context(ClientRequest clientRequest, ModelConfig model) {
        long random = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        return ReplyContext.of(clientRequest.llmRequest(), model, FALLBACK_KEY_PREFIX + Long.toHexString(random));
    }

    /** The configured model without Gemini's resource-name prefix: {@code models/gemini-x} → {@code gemini-x}. */
    static String modelName(String upstreamModel) {
        return upstreamModel.startsWith(MODEL_RESOURCE_PREFIX)
                ? upstreamModel.substring(MODEL_RESOURCE_PREFIX.length()) : upstreamModel;
    }

    /**
     * The model as one path segment: without a leading {@code models/}, and percent-encoded
     * (RFC 3986 unreserved characters kept) so that a {@code /}, {@code :} or {@code ?} in a
     * configured name cannot change the path, the method suffix or the query.
     */
    static String modelSegment(String upstreamModel) {
        return PercentCodec.encode(modelName(upstreamModel), StandardCharsets.UTF_8);
    }
}
