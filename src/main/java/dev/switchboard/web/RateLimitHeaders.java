package dev.switchboard.web;

import dev.switchboard.limits.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OpenAI's rate-limit headers for a limited token: {@code x-ratelimit-limit-requests},
 * {@code x-ratelimit-remaining-requests}, {@code x-ratelimit-reset-requests} and the
 * {@code -tokens} trio (docs/protocols/openai-chat.md §1), from where the token's budgets stand.
 * Stateless.
 */
final class RateLimitHeaders {
    private RateLimitHeaders() {
    }

    static List<HeaderField> of(Decision decision) {
        if (decision.budgets().isEmpty()) {
            return List.of();
        }
        List<HeaderField> headers = new ArrayList<>(3 * decision.budgets().size());
        for (Decision.BudgetState state : decision.budgets()) {
            String kind = state.budget().name().toLowerCase(Locale.ROOT);
            headers.add(new HeaderField("x-ratelimit-limit-" + kind, Long.toString(state.limit())));
            headers.add(new HeaderField("x-ratelimit-remaining-" + kind, Long.toString(state.remaining())));
            headers.add(new HeaderField("x-ratelimit-reset-" + kind, ResetFormat.format(state.resetMillis())));
        }
        return headers;
    }
}
