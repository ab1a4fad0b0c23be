package dev.switchboard.limits;

import java.util.concurrent.CompletionStage;

/**
 * Per-token request and token budgets ({@code rpm}, {@code tpm}): in memory per node
 * ({@link LocalRateLimiter}), or in a store shared by the nodes of a fleet (docs/routing.md#several-nodes).
 * Shared; thread-safe.
 */
public interface RateLimiter {
    /**
     * Admits one request of the named token, or refuses it. A token over its token budget is
     * refused without spending a request.
     *
     * <p>The stage completes at once when the budgets are in memory, and otherwise on the store
     * client's thread, within the store's timeout: an implementation that cannot reach its store
     * completes with the decision it falls back on, or fails when it is configured to refuse then
     * (the caller answers 503). Nothing waits for it on a container thread.
     */
    CompletionStage<Decision> acquire(String tokenName, Limits limits);

    /** Counts the tokens a finished request used against the token's per-minute budget. Never blocks. */
    void recordTokens(String tokenName, Limits limits, long tokens);
}
