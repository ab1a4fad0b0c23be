package dev.switchboard.limits;

import java.util.List;

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

    public Decision {
        budgets = List.copyOf(budgets);
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
    }
}
