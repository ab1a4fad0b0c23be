package dev.switchboard.provider.openai;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.http.CompletionBody;
import dev.switchboard.provider.http.HttpConnector;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.provider.http.UpstreamErrors;
import dev.switchboard.provider.http.UpstreamHeaders;
import dev.switchboard.provider.mapping.TranslationBudget;
import dev.switchboard.time.Scheduler;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import java.net.URI;
import java.util.Map;

/**
 * Relays to any OpenAI-compatible server: the client's JSON goes out as it came with only
 * {@code model} replaced (and Gemini-signed tool-call ids shortened, {@link RelayBody}), and the
 * upstream's JSON and SSE chunks come back unchanged (docs/providers/openai.md). Shared and
 * stateless.
 */
public final class OpenAiConnector extends HttpConnector {
    static final String PATH = "/chat/completions";
    /** OpenAI's bearer key (docs/protocols/openai-chat.md §1). */
    static final UpstreamHeaders.KeyHeader KEY_HEADER = new UpstreamHeaders.KeyHeader("Authorization", "Bearer ");

    public OpenAiConnector(UpstreamClient client, Scheduler scheduler) {
        super(client, scheduler);
    }

    @Override
    protected UpstreamRequest upstreamRequest(ProviderCall call) {
        ChatRequest clientRequest = call.chatRequest();
        ModelConfig model = call.model();
        ProviderConfig provider = call.provider();
        return new UpstreamRequest(URI.create(provider.baseUrl() + PATH),
                UpstreamHeaders.of(provider, clientRequest.stream(), KEY_HEADER, Map.of()),
                RelayBody.of(clientRequest, model.upstreamModel(), TranslationBudget.of(clientRequest, provider)),
                provider.timeouts().connectMs());
    }

    @Override
    protected GatewayError upstreamError(ProviderConfig provider, UpstreamResponse upstreamResponse, byte[] body, int length) {
        OpenAiResponses.ErrorFields fields = OpenAiResponses.readError(body, length);
        return UpstreamErrors.forStatus(provider, upstreamResponse.status(), fields.type(), fields.code(),
                fields.param(), fields.message(), upstreamResponse.header("Retry-After"));
    }

    @Override
    protected CompletionBody completion(ProviderCall call, byte[] body, int length) {
        ChatRequest clientRequest = call.chatRequest();
        ModelConfig model = call.model();
        byte[] json = length == body.length ? body : java.util.Arrays.copyOf(body, length);
        return new CompletionBody(json, OpenAiResponses.readUsage(json));
    }

    @Override
    protected StreamTranslator streamTranslator(ProviderCall call) {
        ChatRequest clientRequest = call.chatRequest();
        ModelConfig model = call.model();
        return new OpenAiStreamRelay();
    }
}
