package dev.switchboard.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Request and token budgets on a hand-driven clock. */
class LocalRateLimiterTest {
    private long nanos;
    private final LocalRateLimiter limiter = new LocalRateLimiter(new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    });

    private void advanceSeconds(long seconds) {
        nanos += TimeUnit.SECONDS.toNanos(seconds);
    }

    private static String header(Decision decision, String name) {
        int i = decision.headers().indexOf(name);
        return i < 0 ? null : decision.headers().get(i + 1);
    }

    @Test
    void anUnlimitedTokenIsAlwaysAdmittedWithoutHeaders() {
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire("free", Limits.NONE)).isSameAs(Decision.UNLIMITED);
        }
    }

    @Test
    void rpmAdmitsItsBudgetThenRefusesUntilTheWindowRefills() {
        Limits limits = new Limits(2L, null);
        Decision first = limiter.acquire("t", limits);
        assertThat(first.allowed()).isTrue();
        assertThat(header(first, "x-ratelimit-limit-requests")).isEqualTo("2");
        assertThat(header(first, "x-ratelimit-remaining-requests")).isEqualTo("1");
        assertThat(header(first, "x-ratelimit-reset-requests")).isEqualTo("30s");
        assertThat(limiter.acquire("t", limits).allowed()).isTrue();

        Decision refused = limiter.acquire("t", limits);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.exhausted()).isEqualTo(Decision.Budget.REQUESTS);
        assertThat(refused.retryAfterSeconds()).isEqualTo(30);
        assertThat(header(refused, "x-ratelimit-remaining-requests")).isEqualTo("0");
        assertThat(header(refused, "x-ratelimit-reset-requests")).isEqualTo("1m0s");

        advanceSeconds(29);
        assertThat(limiter.acquire("t", limits).allowed()).isFalse();
        advanceSeconds(1);
        assertThat(limiter.acquire("t", limits).allowed()).as("one request back after 60/rpm seconds").isTrue();
        assertThat(limiter.acquire("other", limits).allowed()).as("budgets are per token").isTrue();
    }

    @Test
    void tpmCountsFinishedRequestsAndRefusesWhileInDebtWithoutSpendingARequest() {
        Limits limits = new Limits(10L, 1000L);
        assertThat(limiter.acquire("t", limits).allowed()).isTrue();
        limiter.recordTokens("t", limits, 1500);

        Decision refused = limiter.acquire("t", limits);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.exhausted()).isEqualTo(Decision.Budget.TOKENS);
        assertThat(refused.retryAfterSeconds()).as("500 tokens of debt plus one, at 1000 per minute").isEqualTo(31);
        assertThat(header(refused, "x-ratelimit-remaining-tokens")).isEqualTo("0");
        assertThat(header(refused, "x-ratelimit-remaining-requests")).as("the refusal spent no request").isEqualTo("9");

        advanceSeconds(31);
        Decision admitted = limiter.acquire("t", limits);
        assertThat(admitted.allowed()).isTrue();
        assertThat(header(admitted, "x-ratelimit-limit-tokens")).isEqualTo("1000");
    }

    @Test
    void changingALimitStartsItsBudgetAfresh() {
        assertThat(limiter.acquire("t", new Limits(1L, null)).allowed()).isTrue();
        assertThat(limiter.acquire("t", new Limits(1L, null)).allowed()).isFalse();
        assertThat(limiter.acquire("t", new Limits(5L, null)).allowed()).isTrue();
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
