package dev.switchboard.provider;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.ErrorKind;

/** Stands in for a provider type whose connector this build lacks: every call is a clear 501. Stateless. */
public final class NotImplementedConnector implements ProviderConnector {
    @Override
    public Attempt start(ChatRequest clientRequest, ModelConfig model, ProviderConfig provider, ResponseSink sink) {
        sink.fail(ErrorKind.NOT_IMPLEMENTED.error("Provider '" + provider.id() + "' has type '"
                + provider.type().configName() + "', which this version of Switchboard cannot call yet."));
        return Attempt.NONE;
    }
}
