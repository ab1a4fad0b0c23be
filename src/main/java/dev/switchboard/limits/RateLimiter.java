package dev.switchboard.limits;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Per-token and per-team request and token budgets ({@code rpm}, {@code tpm}): in memory per node
 * ({@link LocalRateLimiter}), or in a store shared by the nodes of a fleet (docs/routing.md#several-nodes).
 * Shared; thread-safe.
 */
public interface RateLimiter {
    /**
     * Admits one request, or refuses it, against every one of its quotas at once (its token's and
     * its team's): admitted only when each of them allows it, and then a request is spent from
     * each; refused without spending anything. A quota over its token budget refuses without
     * spending a request. The decision's budgets are the tightest of the quotas' for each budget.
     *
     * <p>The stage completes at once when the budgets are in memory, and otherwise on the store
     * client's thread, within the store's timeout: an implementation that cannot reach its store
     * completes with the decision it falls back on, or fails when it is configured to refuse then
     * (the caller answers 503). Nothing waits for it on a container thread.
     */
    CompletionStage<Decision> acquire(List<Quota> quotas);

    /** Counts the tokens a finished request used against the per-minute budget of each of its quotas. Never blocks. */
    void recordTokens(List<Quota> quotas, long tokens);

    /** {@link #acquire(List)} for a token of no team. */
    default CompletionStage<Decision> acquire(String tokenName, Limits limits) {
        return acquire(List.of(Quota.token(tokenName, limits)));
    }

    /** {@link #recordTokens(List, long)} for a token of no team. */
    default void recordTokens(String tokenName, Limits limits, long tokens) {
        recordTokens(List.of(Quota.token(tokenName, limits)), tokens);
    }

    /** The quotas among {@code quotas} that limit anything. */
    static List<Quota> limited(List<Quota> quotas) {
        if (quotas.size() == 1) {
            return quotas.get(0).limits().isLimited() ? quotas : List.of();
        }
        return quotas.stream().filter(quota -> quota.limits().isLimited()).toList();
    }
}
