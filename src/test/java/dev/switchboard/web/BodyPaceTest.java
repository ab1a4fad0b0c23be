package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.RequestLimits;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The body pace with the shipped defaults: real uploads pass, trickles and silence do not. */
class BodyPaceTest {
    private static final RequestLimits DEFAULTS = RequestLimits.defaults(1L << 30);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void a32MiBUploadOnASlowLinkPasses() {
        // 64 KiB/s, half a megabit: 512 s for the whole body.
        BodyPace pace = new BodyPace(DEFAULTS, 0);
        long now = 0;
        for (int second = 1; second <= 512; second++) {
            now = second * SECOND;
            pace.received(64 * 1024, now);
            assertThat(pace.expired(now)).as("after %d s", second).isFalse();
        }
        assertThat(pace.bytes()).isEqualTo(32L * 1024 * 1024);
    }

    @Test
    void aByteEveryFewSecondsFailsOnceTheGraceIsOver() {
        BodyPace pace = new BodyPace(DEFAULTS, 0);
        long now = 0;
        while (!pace.expired(now)) {
            now += SECOND / 10;
            if (now % (3 * SECOND) == 0) {
                pace.received(1, now);
            }
        }
        assertThat(now).isBetween(TimeUnit.MILLISECONDS.toNanos(DEFAULTS.bodyGraceMs()),
                TimeUnit.MILLISECONDS.toNanos(DEFAULTS.bodyGraceMs()) + SECOND);
        assertThat(pace.reason(now)).contains("slower than 500 bytes per second");
    }

    @Test
    void silenceFailsAfterTheIdleTimeoutEvenAfterAFastStart() {
        BodyPace pace = new BodyPace(DEFAULTS, 0);
        pace.received(10L * 1024 * 1024, SECOND);
        long idle = TimeUnit.MILLISECONDS.toNanos(DEFAULTS.bodyIdleMs());
        assertThat(pace.expired(SECOND + idle - 1)).isFalse();
        assertThat(pace.expired(SECOND + idle)).isTrue();
        assertThat(pace.reason(SECOND + idle)).contains("No byte of the request body arrived for 20000 ms");
    }

    @Test
    void noMinimumRateLeavesOnlyTheIdleTimeout() {
        BodyPace pace = new BodyPace(new RequestLimits(1_000, 0, 0, 5_000, 0), 0);
        for (long now = SECOND / 2; now < 100 * SECOND; now += SECOND / 2) {
            pace.received(1, now);
            assertThat(pace.expired(now)).isFalse();
        }
    }

    @Test
    void theDefaultInFlightLimitFollowsTheHeapAndNeverFallsBelowTheBenchmark() {
        assertThat(RequestLimits.defaultMaxInFlight(256L << 20)).isEqualTo(RequestLimits.MIN_DEFAULT_MAX_IN_FLIGHT);
        assertThat(RequestLimits.defaultMaxInFlight(1L << 30)).isEqualTo(5_242);
        assertThat(RequestLimits.defaultMaxInFlight(8L << 30)).isEqualTo(41_943);
        assertThat(RequestLimits.defaultMaxInFlight(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }
}
