package dev.switchboard.web;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.limits.Decision;
import dev.switchboard.limits.LocalRateLimiter;

/**
 * The second half of admission for a token with {@code tpm} (its own or its team's), once the
 * body is read: the request's estimated prompt alone must fit in the tokens left, or it is refused
 * with a 429 before any provider is called (docs/routing.md#per-token-limits). The first half, at
 * the headers, only knows whether any tokens are left. Stateless.
 */
final class PromptAdmission {
    private PromptAdmission() {
    }

    /** The tokens-per-minute budget of {@code limit} (the tighter of token's and team's), or null when it has none. */
    static Decision.BudgetState tokenBudget(Decision limit) {
        for (Decision.BudgetState state : limit.budgets()) {
            if (state.budget() == Decision.Budget.TOKENS) {
                return state;
            }
        }
        return null;
    }

    /**
     * The refusal of a request whose prompt is estimated at {@code promptTokens}, or null when it fits.
     *
     * @param tokens where the tokens-per-minute budget stood at admission
     */
    static GatewayError check(Decision.BudgetState tokens, long promptTokens) {
        if (tokens == null || promptTokens <= tokens.remaining()) {
            return null;
        }
        if (promptTokens > tokens.limit()) {
            return ErrorKind.TOKENS_PER_MINUTE.error("Request too large for tokens per minute (tpm): its prompt is"
                    + " about " + promptTokens + " tokens, more than the limit of " + tokens.limit() + ".");
        }
        // The budget refills smoothly: limit tokens per window.
        long windowMillis = LocalRateLimiter.WINDOW.toMillis();
        long waitSeconds = Math.max(1, ((promptTokens - tokens.remaining()) * windowMillis / tokens.limit() + 999) / 1000);
        return ErrorKind.TOKENS_PER_MINUTE.error("Rate limit reached for tokens per minute (tpm): this request's"
                + " prompt is about " + promptTokens + " tokens and " + tokens.remaining() + " of the limit of "
                + tokens.limit() + " are left. Please try again in " + waitSeconds + "s.")
                .withRetryAfter(Long.toString(waitSeconds));
    }
}
