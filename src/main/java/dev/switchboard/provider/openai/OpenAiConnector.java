package dev.switchboard.provider.openai;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.Protocol;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.http.CompletionBody;
import dev.switchboard.provider.http.HttpConnector;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.provider.http.UpstreamErrors;
import dev.switchboard.provider.http.UpstreamHeaders;
import dev.switchboard.provider.http.UpstreamUris;
import dev.switchboard.provider.mapping.TranslationBudget;
import dev.switchboard.time.Scheduler;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import java.util.Arrays;
import java.util.Map;

/**
 * Relays to any OpenAI-compatible server (docs/providers/openai.md): chat completions, embeddings,
 * and Responses where the provider speaks them ({@code responsesApi}). The client's JSON goes out
 * as it came with only {@code model} replaced (and, for chat, Gemini-signed tool-call ids
 * shortened, {@link RelayBody}), and the upstream's JSON and SSE events come back unchanged. A
 * Messages request, or a Responses request for a provider without the Responses API, is
 * translated through the Chat path. Shared and stateless.
 */
public final class OpenAiConnector extends HttpConnector {
    static final String PATH = "/chat/completions";
    static final String RESPONSES_PATH = "/responses";
    static final String EMBEDDINGS_PATH = "/embeddings";
    /** OpenAI's bearer key (docs/protocols/openai-chat.md §1). */
    static final UpstreamHeaders.KeyHeader KEY_HEADER = new UpstreamHeaders.KeyHeader("Authorization", "Bearer ");

    public OpenAiConnector(UpstreamClient client, Scheduler scheduler) {
        super(client, scheduler);
    }

    @Override
    protected boolean serves(Protocol protocol, ProviderConfig provider) {
        return protocol == Protocol.EMBEDDINGS || protocol == Protocol.RESPONSES && provider.responsesApi();
    }

    @Override
    protected UpstreamRequest upstreamRequest(ProviderCall call) {
        ClientRequest clientRequest = call.request();
        ProviderConfig provider = call.provider();
        String upstreamModel = call.model().upstreamModel();
        String path;
        byte[] body;
        switch (clientRequest.protocol()) {
            case RESPONSES -> {
                path = RESPONSES_PATH;
                body = clientRequest.bodyWithModel(upstreamModel);
            }
            case EMBEDDINGS -> {
                path = EMBEDDINGS_PATH;
                body = clientRequest.bodyWithModel(upstreamModel);
            }
            default -> {
                ChatRequest chat = call.chatRequest();
                path = PATH;
                body = RelayBody.of(chat, upstreamModel, TranslationBudget.of(chat, provider));
            }
        }
        return new UpstreamRequest(UpstreamUris.of(provider.baseUrl(), path),
                UpstreamHeaders.of(provider, clientRequest.stream(), KEY_HEADER, Map.of()), body,
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
        byte[] json = length == body.length ? body : Arrays.copyOf(body, length);
        return new CompletionBody(json, call.request().protocol() == Protocol.RESPONSES
                ? ResponsesRelay.completionUsage(json) : OpenAiResponses.readUsage(json));
    }

    @Override
    protected StreamTranslator streamTranslator(ProviderCall call) {
        return call.request().protocol() == Protocol.RESPONSES ? new ResponsesRelay()
                : new OpenAiStreamRelay(call.chatRequest().includeUsage());
    }
}
