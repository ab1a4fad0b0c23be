package dev.switchboard.config;

/**
 * When a failing target is skipped, and for how long. Immutable.
 *
 * @param failures failures in a row that put a target in cooldown
 * @param periodMs how long it is skipped before it is tried again
 */
public record CooldownPolicy(int failures, long periodMs) {
    public static final int DEFAULT_FAILURES = 3;
    public static final long DEFAULT_PERIOD_MS = 30_000;

    public static final CooldownPolicy DEFAULTS = new CooldownPolicy(DEFAULT_FAILURES, DEFAULT_PERIOD_MS);
}
