package dev.switchboard.provider;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.tracing.AttemptTrace;

/**
 * One call a connector is asked to make: the client's request, the model and provider it goes to,
 * the request's id, for the log lines the call may write, and the attempt's span, whose trace
 * context goes upstream with the call. Immutable; one per attempt.
 */
public record ProviderCall(ClientRequest request, ModelConfig model, ProviderConfig provider, String requestId,
                           AttemptTrace trace) {
    /** An untraced call. */
    public ProviderCall(ClientRequest request, ModelConfig model, ProviderConfig provider, String requestId) {
        this(request, model, provider, requestId, AttemptTrace.NONE);
    }

    /**
     * The request in Chat Completions form, for a connector whose own path takes only Chat (the
     * OpenAI-compatible one, whose wire format it is, and echo); another door's request reaches
     * it made into a Chat request (docs/architecture.md, "As built").
     *
     * @throws GatewayException (400) when the request came in by another door
     */
    public ChatRequest chatRequest() {
        if (request instanceof ChatRequest chat) {
            return chat;
        }
        throw ErrorKind.INVALID_REQUEST.exception("Provider '" + provider.id() + "' cannot serve a "
                + request.protocol() + " request.");
    }

    public boolean stream() {
        return request.stream();
    }
}
