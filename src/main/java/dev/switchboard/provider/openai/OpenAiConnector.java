package dev.switchboard.provider.openai;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.CompletionBody;
import dev.switchboard.provider.HttpConnector;
import dev.switchboard.provider.StreamTranslator;
import dev.switchboard.provider.UpstreamErrors;
import dev.switchboard.time.Scheduler;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Relays to any OpenAI-compatible server: the client's JSON goes out as it came with only
 * {@code model} replaced (and Gemini-signed tool-call ids shortened, {@link RelayBody}), and the
 * upstream's JSON and SSE chunks come back unchanged (docs/providers/openai.md). Shared and
 * stateless.
 */
public final class OpenAiConnector extends HttpConnector {
    static final String PATH = "/chat/completions";

    public OpenAiConnector(UpstreamClient client, Scheduler scheduler) {
        super(client, scheduler);
    }

    @Override
    protected UpstreamRequest upstreamRequest(ChatRequest clientRequest, ModelConfig model, ProviderConfig provider) {
        List<UpstreamRequest.Header> headers = new ArrayList<>(4 + provider.headers().size());
        headers.add(new UpstreamRequest.Header("Accept", clientRequest.stream() ? "text/event-stream" : "application/json"));
        if (provider.apiKey() != null) {
            headers.add(new UpstreamRequest.Header("Authorization", "Bearer " + provider.apiKey()));
        }
        for (Map.Entry<String, String> header : provider.headers().entrySet()) {
            headers.add(new UpstreamRequest.Header(header.getKey(), header.getValue()));
        }
        return new UpstreamRequest(URI.create(provider.baseUrl() + PATH), headers,
                RelayBody.of(clientRequest, model.upstreamModel()), provider.timeouts().connectMs());
    }

    @Override
    protected GatewayError upstreamError(ProviderConfig provider, UpstreamResponse upstreamResponse, byte[] body, int length) {
        OpenAiResponses.ErrorFields fields = OpenAiResponses.readError(body, length);
        return UpstreamErrors.forStatus(provider, upstreamResponse.status(), fields.type(), fields.code(),
                fields.param(), fields.message(), upstreamResponse.header("Retry-After"));
    }

    @Override
    protected CompletionBody completion(ChatRequest clientRequest, ModelConfig model, byte[] body, int length) {
        byte[] json = length == body.length ? body : java.util.Arrays.copyOf(body, length);
        return new CompletionBody(json, OpenAiResponses.readUsage(json));
    }

    @Override
    protected StreamTranslator streamTranslator(ChatRequest clientRequest, ModelConfig model) {
        return new OpenAiStreamRelay();
    }
}
