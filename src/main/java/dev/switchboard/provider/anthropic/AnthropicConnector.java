package dev.switchboard.provider.anthropic;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.http.CompletionBody;
import dev.switchboard.provider.http.HttpConnector;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.provider.http.UpstreamHeaders;
import dev.switchboard.provider.mapping.TranslationBudget;
import dev.switchboard.time.Scheduler;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import java.net.URI;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Serves OpenAI chat completions from Anthropic's Messages API: {@code POST {baseUrl}/v1/messages}
 * with {@code x-api-key} and {@code anthropic-version} (docs/protocols/anthropic-messages.md §1). The protocol
 * work lives in {@link RequestMapper}, {@link CompletionTranslator},
 * {@link AnthropicStreamTranslator} and {@link AnthropicErrors}; the rules they apply are listed
 * in docs/providers/anthropic.md. Shared and stateless.
 */
public final class AnthropicConnector extends HttpConnector {
    static final String PATH = "/v1/messages";
    /** The API version every current SDK still sends. */
    static final String API_VERSION = "2023-06-01";
    static final String API_KEY_HEADER = "x-api-key";
    static final String VERSION_HEADER = "anthropic-version";
    static final UpstreamHeaders.KeyHeader KEY_HEADER = new UpstreamHeaders.KeyHeader(API_KEY_HEADER, "");
    static final Map<String, String> DEFAULT_HEADERS = Map.of(VERSION_HEADER, API_VERSION);

    private final LongSupplier epochSeconds;

    public AnthropicConnector(UpstreamClient client, Scheduler scheduler) {
        this(client, scheduler, () -> System.currentTimeMillis() / 1000);
    }

    /** @param epochSeconds the clock for {@code created}; tests fix it */
    AnthropicConnector(UpstreamClient client, Scheduler scheduler, LongSupplier epochSeconds) {
        super(client, scheduler);
        this.epochSeconds = epochSeconds;
    }

    /**
     * Only the provider's key goes out: the client's {@code Authorization} carries its Switchboard
     * token and is never forwarded. The provider's configured {@code headers} (e.g.
     * {@code anthropic-beta}) are added, and may override {@code anthropic-version}.
     */
    @Override
    protected UpstreamRequest upstreamRequest(ProviderCall call) {
        ChatRequest clientRequest = call.chatRequest();
        ModelConfig model = call.model();
        ProviderConfig provider = call.provider();
        byte[] body = TranslationBudget.of(clientRequest, provider).write(RequestMapper.map(clientRequest.json(), model));
        return new UpstreamRequest(URI.create(provider.baseUrl() + PATH),
                UpstreamHeaders.of(provider, clientRequest.stream(), KEY_HEADER, DEFAULT_HEADERS), body,
                provider.timeouts().connectMs());
    }

    @Override
    protected GatewayError upstreamError(ProviderConfig provider, UpstreamResponse upstreamResponse, byte[] body, int length) {
        return AnthropicErrors.fromResponse(provider, upstreamResponse.status(), body, length,
                upstreamResponse.header("Retry-After"));
    }

    @Override
    protected CompletionBody completion(ProviderCall call, byte[] body, int length) {
        ChatRequest clientRequest = call.chatRequest();
        ModelConfig model = call.model();
        return CompletionTranslator.translate(model.provider(), body, length, model.upstreamModel(), epochSeconds.getAsLong(),
                JsonMode.active(clientRequest.json()));
    }

    @Override
    protected StreamTranslator streamTranslator(ProviderCall call) {
        ChatRequest clientRequest = call.chatRequest();
        ModelConfig model = call.model();
        return new AnthropicStreamTranslator(model.provider(), model.upstreamModel(), epochSeconds.getAsLong(),
                clientRequest.includeUsage(), JsonMode.active(clientRequest.json()));
    }
}
