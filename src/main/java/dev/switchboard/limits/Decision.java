package dev.switchboard.limits;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The answer to one request: admitted or not, and where each of its budgets stands (the tighter of
 * its token's and its team's), for the rate-limit headers of every response of a limited token.
 * Immutable.
 *
 * @param budgets the state of each limited budget, empty for an unlimited token
 * @param retryAfterSeconds when refused, how long until the exhausted budget admits a request
 * @param exhausted when refused, the budget that ran out; null when admitted
 * @param over when refused, the quota whose budget ran out (the token's or its team's); null when admitted
 */
public record Decision(boolean allowed, List<BudgetState> budgets, long retryAfterSeconds, Budget exhausted,
                       Quota over) {
    public static final Decision UNLIMITED = new Decision(true, List.of(), 0, null);
    /** {@link #UNLIMITED}, already decided: what a limiter answers for a token without limits, at no cost. */
    public static final CompletableFuture<Decision> UNLIMITED_NOW = CompletableFuture.completedFuture(UNLIMITED);

    public Decision {
        budgets = List.copyOf(budgets);
    }

    /** A decision that names no quota. */
    public Decision(boolean allowed, List<BudgetState> budgets, long retryAfterSeconds, Budget exhausted) {
        this(allowed, budgets, retryAfterSeconds, exhausted, null);
    }

    /** An admission, with where its budgets stand. */
    public static Decision admitted(List<BudgetState> budgets) {
        return new Decision(true, tightest(budgets), 0, null, null);
    }

    /**
     * A refusal: {@code exhausted} of {@code over} admits a request again after {@code waitNanos},
     * said in whole seconds (at least 1).
     */
    public static Decision refused(List<BudgetState> budgets, Budget exhausted, Quota over, long waitNanos) {
        long second = TimeUnit.SECONDS.toNanos(1);
        return new Decision(false, tightest(budgets), Math.max(1, (waitNanos + second - 1) / second), exhausted, over);
    }

    /**
     * One state per budget: of several quotas' states of one budget (a token's and its team's), the
     * one with the least remaining, so that a client never reads more room than it has.
     */
    static List<BudgetState> tightest(List<BudgetState> states) {
        if (states.size() <= 1) {
            return states;
        }
        List<BudgetState> tightest = new ArrayList<>(2);
        for (BudgetState state : states) {
            int same = -1;
            for (int i = 0; i < tightest.size(); i++) {
                if (tightest.get(i).budget() == state.budget()) {
                    same = i;
                }
            }
            if (same < 0) {
                tightest.add(state);
            } else if (tighter(state, tightest.get(same))) {
                tightest.set(same, state);
            }
        }
        return tightest;
    }

    private static boolean tighter(BudgetState state, BudgetState than) {
        return state.remaining() < than.remaining()
                || state.remaining() == than.remaining() && state.resetMillis() > than.resetMillis();
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
