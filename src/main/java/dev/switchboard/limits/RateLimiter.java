package dev.switchboard.limits;

/**
 * Per-token request and token budgets ({@code rpm}, {@code tpm}). Counted per node today, in
 * memory; this interface is the seam where a store shared by a fleet (Bucket4j's Redis or
 * PostgreSQL backends) can replace it.
 */
public interface RateLimiter {
    /**
     * Admits one request of the named token, or refuses it. A token over its token budget is
     * refused without spending a request.
     */
    Decision acquire(String tokenName, Limits limits);

    /** Counts the tokens a finished request used against the token's per-minute budget. */
    void recordTokens(String tokenName, Limits limits, long tokens);
}
