package dev.switchboard.config;

/**
 * Per-provider timeouts, in milliseconds. Immutable.
 *
 * @param connectMs to establish the TCP (and TLS) connection
 * @param firstByteMs until the first byte of a streamed body; for a non-streaming call, until the
 *     whole response has arrived
 * @param idleMs between two pieces of a streamed body once it has started
 */
public record Timeouts(long connectMs, long firstByteMs, long idleMs) {
    public static final long DEFAULT_CONNECT_MS = 5_000;
    public static final long DEFAULT_FIRST_BYTE_MS = 120_000;
    public static final long DEFAULT_IDLE_MS = 120_000;

    public static final Timeouts DEFAULTS = new Timeouts(DEFAULT_CONNECT_MS, DEFAULT_FIRST_BYTE_MS, DEFAULT_IDLE_MS);
}
