package dev.switchboard.web;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ProviderConfig;

/**
 * Whether one exchange still moves, for the watchdog (docs/hostile-clients.md#every-exchange-ends):
 * every piece of body read, every call from the provider's side, every attempt started and every
 * block written to the client (keep-alives aside) counts; an exchange that has done none of these
 * for longer than the longest of its own deadlines allows is stuck, since its own timers should
 * have ended it by then. Per request: progress is counted on any thread, {@link #look} runs on the
 * timer only.
 */
final class StallWatch {
    /** What the watchdog finds. */
    enum Verdict {
        /** The exchange moved, or has not been still for long enough. */
        MOVING,
        /** Still past its limit: end it (said once). */
        STALLED,
        /** Ended for stalling as long ago as the limit, and the container has still not reported it complete. */
        NEVER_CLOSED
    }

    /**
     * Silence past the longest of the exchange's own deadlines after which the watchdog ends it:
     * room for a timer that fires late on a busy machine.
     */
    static final long GRACE_MILLIS = 60_000;

    private final long limitMillis;
    private volatile long progress;
    // The timer's only.
    private long seen = -1;
    private long stillMillis;
    private boolean stalled;

    StallWatch(long limitMillis) {
        this.limitMillis = limitMillis;
    }

    /**
     * The longest silence any of an exchange's own deadlines allows (the body's idle time, a
     * provider's connect, first-byte and idle timeouts, a retry's wait, {@code keepAliveMillis}),
     * plus {@link #GRACE_MILLIS}.
     */
    static long limitMillis(GatewayConfig config, long keepAliveMillis) {
        long longest = Math.max(config.requests().bodyIdleMs(), keepAliveMillis);
        for (ProviderConfig provider : config.providers().values()) {
            longest = Math.max(longest, Math.max(Math.max(provider.timeouts().connectMs(),
                    provider.timeouts().firstByteMs()), Math.max(provider.timeouts().idleMs(), provider.retry().capMs())));
        }
        return longest + GRACE_MILLIS;
    }

    long limitMillis() {
        return limitMillis;
    }

    /** Something happened: the exchange moves. Any thread; a lost increment still moves the count. */
    void progressed() {
        progress++;
    }

    /**
     * One look, {@code periodMillis} after the last.
     *
     * @param elsewhere a count that grows as the exchange moves outside this object (blocks
     *     written, attempts started)
     */
    Verdict look(long periodMillis, long elsewhere) {
        long now = progress + elsewhere;
        if (now != seen && !stalled) {
            seen = now;
            stillMillis = 0;
            return Verdict.MOVING;
        }
        stillMillis += periodMillis;
        if (!stalled) {
            if (stillMillis < limitMillis) {
                return Verdict.MOVING;
            }
            stalled = true;
            stillMillis = 0;
            return Verdict.STALLED;
        }
        return stillMillis >= limitMillis ? Verdict.NEVER_CLOSED : Verdict.MOVING;
    }
}
