package dev.switchboard.web;

import dev.switchboard.config.RequestLimits;
import java.util.concurrent.TimeUnit;

/**
 * When a request body that arrives too slowly is given up: after {@code bodyIdleMs} without a
 * byte, or once its average rate falls below {@code bodyMinBytesPerSecond} after
 * {@code bodyGraceMs} (each byte buys {@code 1/bodyMinBytesPerSecond} s more: the rule of Apache
 * httpd's mod_reqtimeout {@code MinRate}; docs/hostile-clients.md). Per request: bytes are counted
 * by the one container thread reading at a time, the deadline read from the timer.
 */
final class BodyPace {
    private final long startNanos;
    private final long idleNanos;
    private final long graceNanos;
    private final long minBytesPerSecond;
    private volatile long bytes;
    private volatile long lastByteNanos;

    BodyPace(RequestLimits limits, long nowNanos) {
        this.startNanos = nowNanos;
        this.lastByteNanos = nowNanos;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(limits.bodyIdleMs());
        this.graceNanos = TimeUnit.MILLISECONDS.toNanos(limits.bodyGraceMs());
        this.minBytesPerSecond = limits.bodyMinBytesPerSecond();
    }

    void received(long count, long nowNanos) {
        if (count > 0) {
            bytes += count;
            lastByteNanos = nowNanos;
        }
    }

    long bytes() {
        return bytes;
    }

    /** The moment the body is given up unless more of it arrives first. */
    long deadlineNanos() {
        long idleDeadline = lastByteNanos + idleNanos;
        if (minBytesPerSecond <= 0) {
            return idleDeadline;
        }
        long earned = bytes >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE / 2
                : bytes * 1_000_000_000L / minBytesPerSecond;
        return Math.min(idleDeadline, startNanos + graceNanos + earned);
    }

    boolean expired(long nowNanos) {
        return nowNanos - deadlineNanos() >= 0;
    }

    /** Why the body was given up, for the client's 408. */
    String reason(long nowNanos) {
        if (nowNanos - (lastByteNanos + idleNanos) >= 0) {
            return "No byte of the request body arrived for " + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms.";
        }
        return "The request body arrived slower than " + minBytesPerSecond + " bytes per second ("
                + bytes + " bytes in " + TimeUnit.NANOSECONDS.toMillis(nowNanos - startNanos) + " ms).";
    }
}
