package dev.switchboard.provider.anthropic;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.provider.http.CompletionBody;
import dev.switchboard.provider.http.DecodedStream;
import dev.switchboard.provider.http.HttpConnector;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.provider.http.UpstreamHeaders;
import dev.switchboard.provider.http.UpstreamUris;
import dev.switchboard.provider.mapping.TranslationBudget;
import dev.switchboard.time.Scheduler;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.Protocol;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Speaks Anthropic's Messages API: {@code POST {baseUrl}/v1/messages} with {@code x-api-key} and
 * {@code anthropic-version} (docs/protocols/anthropic-messages.md §1). A Messages request is
 * relayed: its bytes go upstream with only the model replaced, its {@code anthropic-beta} header
 * with it, and the reply comes back byte for byte ({@link AnthropicRelay}), so
 * {@code cache_control}, thinking signatures and every beta field keep working. A request of another
 * door (Chat, Responses) is mapped from the internal model ({@link LlmRequestMapper}) and its reply
 * decoded into it ({@link MessageDecoder}, {@link MessageStreamDecoder}) for the door's encoder,
 * thinking signatures included. The rules are listed in docs/providers/anthropic.md. Shared and
 * stateless.
 */
public final class AnthropicConnector extends HttpConnector {
    static final String PATH = "/v1/messages";
    static final String COUNT_TOKENS_PATH = "/v1/messages/count_tokens";
    static final String BETA_HEADER = "anthropic-beta";
    /** The API version every current SDK still sends. */
    static final String API_VERSION = "2023-06-01";
    static final String API_KEY_HEADER = "x-api-key";
    static final String VERSION_HEADER = "anthropic-version";
    static final UpstreamHeaders.KeyHeader KEY_HEADER = new UpstreamHeaders.KeyHeader(API_KEY_HEADER, "");
    static final Map<String, String> DEFAULT_HEADERS = Map.of(VERSION_HEADER, API_VERSION);

    public AnthropicConnector(UpstreamClient client, Scheduler scheduler) {
        super(client, scheduler);
    }

    /**
     * Only the provider's key goes out: the client's {@code Authorization} carries its Switchboard
     * token and is never forwarded. The provider's configured {@code headers} (e.g.
     * {@code anthropic-beta}) are added, and may override {@code anthropic-version}.
     */
    @Override
    protected boolean serves(Protocol protocol, ProviderConfig provider) {
        return protocol != Protocol.EMBEDDINGS;
    }

    /** {@code count_tokens} goes to Anthropic's own endpoint ({@link #COUNT_TOKENS_PATH}). */
    @Override
    protected boolean countsTokens() {
        return true;
    }

    @Override
    protected UpstreamRequest upstreamRequest(ProviderCall call) {
        if (call.request().protocol() == Protocol.MESSAGES) {
            return relayRequest(call);
        }
        ClientRequest clientRequest = call.request();
        ProviderConfig provider = call.provider();
        byte[] body = TranslationBudget.of(clientRequest, provider)
                .write(LlmRequestMapper.map(clientRequest.llmRequest(), call.model()));
        return new UpstreamRequest(UpstreamUris.of(provider.baseUrl(), PATH),
                UpstreamHeaders.of(provider, clientRequest.stream(), KEY_HEADER, DEFAULT_HEADERS), body,
                provider.timeouts().connectMs());
    }

    /**
     * A Messages request as the client sent it, but for the model; the client's
     * {@code anthropic-beta} goes with it unless the provider's configuration sets its own.
     */
    private UpstreamRequest relayRequest(ProviderCall call) {
        ClientRequest clientRequest = call.request();
        ProviderConfig provider = call.provider();
        Map<String, String> defaults = DEFAULT_HEADERS;
        String beta = clientRequest.forwardedHeader(BETA_HEADER);
        if (beta != null) {
            defaults = new LinkedHashMap<>(DEFAULT_HEADERS);
            defaults.put(BETA_HEADER, beta);
        }
        String path = clientRequest.countTokens() ? COUNT_TOKENS_PATH : PATH;
        return new UpstreamRequest(UpstreamUris.of(provider.baseUrl(), path),
                UpstreamHeaders.of(provider, clientRequest.stream(), KEY_HEADER, defaults),
                clientRequest.bodyWithModel(call.model().upstreamModel()), provider.timeouts().connectMs());
    }

    @Override
    protected GatewayError upstreamError(ProviderConfig provider, UpstreamResponse upstreamResponse, byte[] body, int length) {
        return AnthropicErrors.fromResponse(provider, upstreamResponse.status(), body, length,
                upstreamResponse.header("Retry-After"));
    }

    @Override
    protected CompletionBody completion(ProviderCall call, byte[] body, int length) {
        if (call.request().protocol() == Protocol.MESSAGES) {
            byte[] json = length == body.length ? body : Arrays.copyOf(body, length);
            return new CompletionBody(json, call.request().countTokens() ? null : AnthropicRelay.completionUsage(json, length));
        }
        LlmResponse reply = MessageDecoder.decode(call.provider().id(), body, length, call.model().upstreamModel(),
                LlmTools.jsonMode(call.request().llmRequest()));
        return new CompletionBody(call.request().format().response(reply, call.requestId()), reply.usage());
    }

    @Override
    protected StreamTranslator streamTranslator(ProviderCall call) {
        if (call.request().protocol() == Protocol.MESSAGES) {
            return new AnthropicRelay(call.provider().id());
        }
        return new DecodedStream(new MessageStreamDecoder(call.provider().id(), call.model().upstreamModel(),
                LlmTools.jsonMode(call.request().llmRequest())), call.request().format().streamEncoder(call.requestId()));
    }
}
