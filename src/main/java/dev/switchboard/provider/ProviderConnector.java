package dev.switchboard.provider;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;

/**
 * Speaks one provider type's protocol. Shared and stateless: everything about one exchange lives
 * in the attempt it starts.
 */
public interface ProviderConnector {
    /**
     * Starts answering {@code clientRequest} with {@code model} on {@code provider}. Never blocks
     * and never throws: every outcome, including a request that cannot be translated, reaches
     * {@code sink}.
     */
    Attempt start(ChatRequest clientRequest, ModelConfig model, ProviderConfig provider, ResponseSink sink);
}
