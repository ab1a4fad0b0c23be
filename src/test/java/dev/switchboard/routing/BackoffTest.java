package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.RetryPolicy;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final RetryPolicy POLICY = new RetryPolicy(10, 250, 5000);

    @Test
    void eachStepDoublesAndIsJitteredInTheUpperHalfUpToTheCap() {
        SplittableRandom random = new SplittableRandom(42);
        long[] steps = {250, 500, 1000, 2000, 4000, 5000, 5000};
        for (int failures = 1; failures <= steps.length; failures++) {
            long step = steps[failures - 1];
            for (int i = 0; i < 200; i++) {
                assertThat(Backoff.delayMillis(POLICY, failures, random)).isBetween(step / 2, step);
            }
        }
    }

    @Test
    void theJitterActuallyVaries() {
        SplittableRandom random = new SplittableRandom(3);
        assertThat(java.util.stream.IntStream.range(0, 50)
                .mapToLong(i -> Backoff.delayMillis(POLICY, 3, random)).distinct().count()).isGreaterThan(10);
    }

    @Test
    void aHugeFailureCountStaysAtTheCapWithoutOverflow() {
        assertThat(Backoff.delayMillis(POLICY, 10_000, new SplittableRandom(1))).isBetween(2500L, 5000L);
    }
}
