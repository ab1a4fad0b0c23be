package dev.switchboard.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The caps on requests in flight: node, token and team, and permits given back exactly once. */
class ConcurrencyTest {
    private final Concurrency concurrency = new Concurrency();

    @Test
    void theNodeCapRefusesTheRequestOverItAndAdmitsAgainOnceOneEnds() {
        Concurrency.Permit first = concurrency.acquire(2, "a", null, null, null);
        Concurrency.Permit second = concurrency.acquire(2, "b", null, null, null);
        Concurrency.Permit third = concurrency.acquire(2, "c", null, null, null);

        assertThat(first.refusal()).isNull();
        assertThat(second.refusal()).isNull();
        assertThat(third.refusal()).isEqualTo(Concurrency.Refusal.NODE);
        assertThat(concurrency.inFlight()).isEqualTo(2);

        first.release();
        assertThat(concurrency.acquire(2, "c", null, null, null).refusal()).isNull();
    }

    @Test
    void aTokenCapRefusesOnlyThatTokenAndTakesNoPlaceOfTheNode() {
        Concurrency.Permit held = concurrency.acquire(10, "slow", 1, null, null);
        Concurrency.Permit refused = concurrency.acquire(10, "slow", 1, null, null);
        Concurrency.Permit other = concurrency.acquire(10, "other", 1, null, null);

        assertThat(held.refusal()).isNull();
        assertThat(refused.refusal()).isEqualTo(Concurrency.Refusal.TOKEN);
        assertThat(other.refusal()).isNull();
        assertThat(concurrency.inFlight()).isEqualTo(2);
        assertThat(concurrency.inFlight("slow")).isEqualTo(1);

        held.release();
        assertThat(concurrency.inFlight("slow")).isZero();
        assertThat(concurrency.acquire(10, "slow", 1, null, null).refusal()).isNull();
    }

    @Test
    void aTeamCapPoolsItsTokensAndARefusalGivesBackTheTokensPlace() {
        Concurrency.Permit first = concurrency.acquire(10, "a", 5, "research", 1);
        Concurrency.Permit second = concurrency.acquire(10, "b", 5, "research", 1);

        assertThat(first.refusal()).isNull();
        assertThat(second.refusal()).isEqualTo(Concurrency.Refusal.TEAM);
        assertThat(concurrency.inFlight("b")).isZero();
        assertThat(concurrency.inFlight()).isEqualTo(1);
    }

    @Test
    void releasingTwiceGivesBackOnePlace() {
        Concurrency.Permit permit = concurrency.acquire(1, "a", 1, "t", 1);
        Concurrency.Permit other = concurrency.acquire(1, "b", null, null, null);
        assertThat(other.refusal()).isEqualTo(Concurrency.Refusal.NODE);

        permit.release();
        permit.release();
        other.release();

        assertThat(concurrency.inFlight()).isZero();
        Concurrency.Permit next = concurrency.acquire(1, "c", null, null, null);
        assertThat(next.refusal()).isNull();
        assertThat(concurrency.inFlight()).isEqualTo(1);
    }

    @Test
    void racingRequestsNeverExceedTheCaps() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            int[] overshoot = new int[1];
            for (int t = 0; t < 4; t++) {
                runs.add(threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        Concurrency.Permit permit = concurrency.acquire(3, "tok", 2, null, null);
                        if (permit.refusal() == null) {
                            if (concurrency.inFlight("tok") > 2 || concurrency.inFlight() > 3) {
                                synchronized (overshoot) {
                                    overshoot[0]++;
                                }
                            }
                            permit.release();
                        }
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
            assertThat(overshoot[0]).isZero();
            assertThat(concurrency.inFlight()).isZero();
            assertThat(concurrency.inFlight("tok")).isZero();
        } finally {
            threads.shutdownNow();
        }
    }
}
