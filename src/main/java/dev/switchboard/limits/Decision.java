package dev.switchboard.limits;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The answer to one request: admitted or not, and where each of the token's budgets stands, for
 * the rate-limit headers of every response of a limited token. Immutable.
 *
 * @param budgets the state of each limited budget, empty for an unlimited token
 * @param retryAfterSeconds when refused, how long until the exhausted budget admits a request
 * @param exhausted when refused, the budget that ran out; null when admitted
 */
public record Decision(boolean allowed, List<BudgetState> budgets, long retryAfterSeconds, Budget exhausted) {
    public static final Decision UNLIMITED = new Decision(true, List.of(), 0, null);
    /** {@link #UNLIMITED}, already decided: what a limiter answers for a token without limits, at no cost. */
    public static final CompletableFuture<Decision> UNLIMITED_NOW = CompletableFuture.completedFuture(UNLIMITED);

    public Decision {
        budgets = List.copyOf(budgets);
    }

    /** A refusal: {@code exhausted} admits a request again after {@code waitNanos}, said in whole seconds (at least 1). */
    public static Decision refused(List<BudgetState> budgets, Budget exhausted, long waitNanos) {
        long second = TimeUnit.SECONDS.toNanos(1);
        return new Decision(false, budgets, Math.max(1, (waitNanos + second - 1) / second), exhausted);
    }

    /** A per-minute budget of a token. */
    public enum Budget {
        /** Requests per minute ({@code rpm}). */
        REQUESTS,
        /** Prompt plus completion tokens per minute ({@code tpm}). */
        TOKENS
    }

    /**
     * Where one budget stands after this decision.
     *
     * @param remaining what is left now, never below zero
     * @param resetMillis how long until the budget is whole again
     */
    public record BudgetState(Budget budget, long limit, long remaining, long resetMillis) {
        /** The state of a bucket of {@code limit} refilled smoothly over a minute, with {@code available} left. */
        public static BudgetState of(Budget budget, long limit, long available) {
            // A smoothly refilled bucket is whole again after the missing share of the window.
            long resetMillis = (limit - available) * LocalRateLimiter.WINDOW.toMillis() / limit;
            return new BudgetState(budget, limit, Math.max(0, available), Math.max(0, resetMillis));
        }
    }
}
