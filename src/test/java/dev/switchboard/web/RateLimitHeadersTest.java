package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.limits.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
    @Test
    void eachLimitedBudgetGetsOpenAisTrio() {
        Decision decision = new Decision(true, List.of(
                new Decision.BudgetState(Decision.Budget.REQUESTS, 60, 59, 1000),
                new Decision.BudgetState(Decision.Budget.TOKENS, 1000, 0, 360_000)), 0, null);

        assertThat(RateLimitHeaders.of(decision)).containsExactly(
                new HeaderField("x-ratelimit-limit-requests", "60"),
                new HeaderField("x-ratelimit-remaining-requests", "59"),
                new HeaderField("x-ratelimit-reset-requests", "1s"),
                new HeaderField("x-ratelimit-limit-tokens", "1000"),
                new HeaderField("x-ratelimit-remaining-tokens", "0"),
                new HeaderField("x-ratelimit-reset-tokens", "6m0s"));
    }

    @Test
    void anUnlimitedTokenGetsNone() {
        assertThat(RateLimitHeaders.of(Decision.UNLIMITED)).isEmpty();
    }

    @Test
    void resetTimesAreWrittenTheWayOpenAiWritesThem() {
        assertThat(ResetFormat.format(20)).isEqualTo("20ms");
        assertThat(ResetFormat.format(1000)).isEqualTo("1s");
        assertThat(ResetFormat.format(1001)).isEqualTo("2s");
        assertThat(ResetFormat.format(360_000)).isEqualTo("6m0s");
        assertThat(ResetFormat.format(3_723_000)).isEqualTo("1h2m3s");
    }
}
