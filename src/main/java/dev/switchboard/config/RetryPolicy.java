package dev.switchboard.config;

/**
 * How often a target is tried and how long to wait in between. Immutable.
 *
 * @param attempts tries per target, the first included, before moving to the next target
 * @param baseMs first backoff; it doubles per try, with jitter
 * @param capMs longest wait, also for a provider's {@code Retry-After}: a longer one moves on to
 *     the next target rather than sleeping
 */
public record RetryPolicy(int attempts, long baseMs, long capMs) {
    public static final int DEFAULT_ATTEMPTS = 2;
    public static final long DEFAULT_BASE_MS = 250;
    public static final long DEFAULT_CAP_MS = 5_000;

    public static final RetryPolicy DEFAULTS = new RetryPolicy(DEFAULT_ATTEMPTS, DEFAULT_BASE_MS, DEFAULT_CAP_MS);
}
