package dev.switchboard.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import java.util.List;
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

    private static List<Quota> ofTeam(String token, Limits own, Limits team) {
        return List.of(Quota.token(token, own), Quota.team("research", team));
    }

    @Test
    void twoTokensOfOneTeamShareTheTeamsRpmAndARefusalSpendsFromNeither() {
        Limits own = new Limits(10L, null);
        Limits team = new Limits(3L, null);
        assertThat(limiter.decide(ofTeam("a", own, team)).allowed()).isTrue();
        assertThat(limiter.decide(ofTeam("b", own, team)).allowed()).isTrue();
        Decision third = limiter.decide(ofTeam("a", own, team));
        assertThat(third.allowed()).isTrue();
        assertThat(state(third, Decision.Budget.REQUESTS).limit()).as("the tighter budget: the team's").isEqualTo(3L);
        assertThat(state(third, Decision.Budget.REQUESTS).remaining()).isZero();
        assertThat(third.budgets()).as("one state per budget").hasSize(1);

        Decision refused = limiter.decide(ofTeam("b", own, team));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.exhausted()).isEqualTo(Decision.Budget.REQUESTS);
        assertThat(refused.over()).isEqualTo(Quota.team("research", team));
        assertThat(refused.retryAfterSeconds()).as("one request back after 60/3 seconds").isEqualTo(20);
        assertThat(limiter.decide("c", own).allowed()).as("a token of no team is not held back").isTrue();

        Decision alone = limiter.decide(List.of(Quota.token("b", own)));
        assertThat(state(alone, Decision.Budget.REQUESTS).remaining())
                .as("b's own bucket: the admitted request and this one; the refused one given back").isEqualTo(8L);
    }

    @Test
    void aTokenOverItsOwnRpmSpendsNothingFromItsTeam() {
        Limits team = new Limits(5L, null);
        assertThat(limiter.decide(ofTeam("a", new Limits(1L, null), team)).allowed()).isTrue();
        Decision own = limiter.decide(ofTeam("a", new Limits(1L, null), team));
        assertThat(own.allowed()).isFalse();
        assertThat(own.over()).isEqualTo(Quota.token("a", new Limits(1L, null)));
        assertThat(own.retryAfterSeconds()).isEqualTo(60);
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += limiter.decide(ofTeam("b", Limits.NONE, team)).allowed() ? 1 : 0;
        }
        assertThat(admitted).as("5 for the team, one of them a's").isEqualTo(4);
    }

    @Test
    void tpmIsCountedAgainstTheTokenAndItsTeam() {
        Limits ownA = new Limits(null, 1000L);
        Limits team = new Limits(null, 1500L);
        limiter.recordTokens(ofTeam("a", ownA, team), 800);
        Decision a = limiter.decide(ofTeam("a", ownA, team));
        assertThat(a.allowed()).isTrue();
        assertThat(state(a, Decision.Budget.TOKENS).remaining()).as("a's own 200 left, tighter than the team's 700")
                .isEqualTo(200L);
        assertThat(state(a, Decision.Budget.TOKENS).limit()).isEqualTo(1000L);

        Decision b = limiter.decide(ofTeam("b", Limits.NONE, team));
        assertThat(state(b, Decision.Budget.TOKENS).remaining()).as("a's tokens count for the team").isEqualTo(700L);
        limiter.recordTokens(ofTeam("b", Limits.NONE, team), 800);

        for (String token : List.of("a", "b")) {
            Decision refused = limiter.decide(ofTeam(token, token.equals("a") ? ownA : Limits.NONE, team));
            assertThat(refused.allowed()).as(token).isFalse();
            assertThat(refused.exhausted()).isEqualTo(Decision.Budget.TOKENS);
            assertThat(refused.over()).isEqualTo(Quota.team("research", team));
            assertThat(refused.retryAfterSeconds()).as("100 tokens of debt plus one, at 1500 per minute").isEqualTo(5);
        }
        assertThat(limiter.decide(List.of(Quota.token("a", ownA))).allowed()).as("a's own budget alone has room")
                .isTrue();
    }

    @Test
    void aTeamWithoutLimitsAddsNothing() {
        assertThat(limiter.decide(ofTeam("a", Limits.NONE, Limits.NONE))).isSameAs(Decision.UNLIMITED);
    }

    @Test
    void tokensOfATeamRacingForItsLastRequestsAreAdmittedExactlyToItsBudget() throws Exception {
        Limits team = new Limits(1000L, null);
        java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String token = "t" + t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 400; i++) {
                    if (limiter.decide(ofTeam(token, new Limits(300L, null), team)).allowed()) {
                        admitted.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(admitted.get()).as("each token its own 300, the four together the team's 1000").isEqualTo(1000);
    }
}
