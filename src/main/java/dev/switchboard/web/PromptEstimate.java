package dev.switchboard.web;

import dev.switchboard.llm.ClientRequest;
import dev.switchboard.provider.mapping.TokenEstimate;

/**
 * An estimate of a request's prompt tokens before any provider counts them, at a bounded cost
 * ({@link TokenEstimate#estimate}): for a token's {@code tpm} at admission and for a stream cut
 * short (docs/spend.md, "Streams"). Stateless.
 */
final class PromptEstimate {
    /** Bytes of JSON per prompt token for a request without a conversation (embeddings): text and its quoting. */
    static final int BYTES_PER_TOKEN = 4;

    private PromptEstimate() {
    }

    static long of(ClientRequest request) {
        try {
            return TokenEstimate.estimate(request.llmRequest());
        } catch (RuntimeException e) {
            // No conversation to count (embeddings): the body's size is the measure left.
            return request.bodyLength() / BYTES_PER_TOKEN;
        }
    }
}
