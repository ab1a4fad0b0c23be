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

    private static Decision.BudgetState state(Decision decision, Decision.Budget budget) {
        return decision.budgets().stream().filter(state -> state.budget() == budget).findFirst().orElse(null);
    }

    @Test
    void anUnlimitedTokenIsAlwaysAdmittedWithoutHeaders() {
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.decide("free", Limits.NONE)).isSameAs(Decision.UNLIMITED);
        }
        assertThat(limiter.acquire("free", Limits.NONE)).as("not even a future is made").isSameAs(Decision.UNLIMITED_NOW);
    }

    @Test
    void inMemoryTheAnswerIsThereAtOnce() {
        java.util.concurrent.CompletableFuture<Decision> stage =
                limiter.acquire("t", new Limits(5L, null)).toCompletableFuture();
        assertThat(stage).isCompleted();
        assertThat(stage.join().allowed()).isTrue();
    }

    @Test
    void rpmAdmitsItsBudgetThenRefusesUntilTheWindowRefills() {
        Limits limits = new Limits(2L, null);
        Decision first = limiter.decide("t", limits);
        assertThat(first.allowed()).isTrue();
        assertThat(state(first, Decision.Budget.REQUESTS).limit()).isEqualTo(2L);
        assertThat(state(first, Decision.Budget.REQUESTS).remaining()).isEqualTo(1L);
        assertThat(state(first, Decision.Budget.REQUESTS).resetMillis()).isEqualTo(30_000L);
        assertThat(limiter.decide("t", limits).allowed()).isTrue();

        Decision refused = limiter.decide("t", limits);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.exhausted()).isEqualTo(Decision.Budget.REQUESTS);
        assertThat(refused.retryAfterSeconds()).isEqualTo(30);
        assertThat(state(refused, Decision.Budget.REQUESTS).remaining()).isEqualTo(0L);
        assertThat(state(refused, Decision.Budget.REQUESTS).resetMillis()).isEqualTo(60_000L);

        advanceSeconds(29);
        assertThat(limiter.decide("t", limits).allowed()).isFalse();
        advanceSeconds(1);
        assertThat(limiter.decide("t", limits).allowed()).as("one request back after 60/rpm seconds").isTrue();
        assertThat(limiter.decide("other", limits).allowed()).as("budgets are per token").isTrue();
    }

    @Test
    void tpmCountsFinishedRequestsAndRefusesWhileInDebtWithoutSpendingARequest() {
        Limits limits = new Limits(10L, 1000L);
        assertThat(limiter.decide("t", limits).allowed()).isTrue();
        limiter.recordTokens("t", limits, 1500);

        Decision refused = limiter.decide("t", limits);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.exhausted()).isEqualTo(Decision.Budget.TOKENS);
        assertThat(refused.retryAfterSeconds()).as("500 tokens of debt plus one, at 1000 per minute").isEqualTo(31);
        assertThat(state(refused, Decision.Budget.TOKENS).remaining()).isEqualTo(0L);
        assertThat(state(refused, Decision.Budget.REQUESTS).remaining()).as("the refusal spent no request").isEqualTo(9L);

        advanceSeconds(31);
        Decision admitted = limiter.decide("t", limits);
        assertThat(admitted.allowed()).isTrue();
        assertThat(state(admitted, Decision.Budget.TOKENS).limit()).isEqualTo(1000L);
    }

    @Test
    void changingALimitStartsItsBudgetAfresh() {
        assertThat(limiter.decide("t", new Limits(1L, null)).allowed()).isTrue();
        assertThat(limiter.decide("t", new Limits(1L, null)).allowed()).isFalse();
        assertThat(limiter.decide("t", new Limits(5L, null)).allowed()).isTrue();
    }
}
