package dev.switchboard.routing;

import dev.switchboard.config.RetryPolicy;
import java.util.random.RandomGenerator;

/**
 * How long to wait before trying a target again: exponential backoff with "equal jitter" (half
 * fixed, half random), so that clients failing together do not retry together, yet no wait is
 * shorter than half its step. Stateless.
 */
final class Backoff {
    private Backoff() {
    }

    /**
     * @param failures failed tries on this target so far (1 after the first)
     * @return milliseconds to wait, at most the policy's cap
     */
    static long delayMillis(RetryPolicy policy, int failures, RandomGenerator random) {
        long step = policy.baseMs();
        for (int i = 1; i < failures && step < policy.capMs(); i++) {
            step *= 2;
        }
        step = Math.min(step, policy.capMs());
        long half = step / 2;
        return half + (long) (random.nextDouble() * (step - half));
    }
}
