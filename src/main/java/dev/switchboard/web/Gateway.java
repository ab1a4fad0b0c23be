package dev.switchboard.web;

import dev.switchboard.limits.RateLimiter;
import dev.switchboard.routing.AttemptObserver;
import dev.switchboard.routing.Cooldowns;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.time.Scheduler;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * The running application as the servlets and filters see it: the current {@link Snapshot}, and
 * what outlives a configuration (the timer, cooldowns, rate-limit buckets, the exchanges in
 * flight). Built by the bootstrap and handed to each servlet and filter it registers. Shared; one
 * per deployed context.
 */
public final class Gateway {
    /** Jitter and weighted picks; each call uses the calling thread's generator, so it is safe to share. */
    private static final RandomGenerator RANDOM = () -> ThreadLocalRandom.current().nextLong();

    private final AtomicReference<Snapshot> snapshot;
    private final Scheduler scheduler;
    private final Cooldowns cooldowns;
    private final RateLimiter rateLimiter;
    private final GatewayMetrics metrics;
    private final AttemptObserver attemptObserver;
    private final Traffic traffic = new Traffic();
    private volatile boolean draining;

    public Gateway(Snapshot snapshot, Scheduler scheduler, Cooldowns cooldowns, RateLimiter rateLimiter,
                   GatewayMetrics metrics) {
        this.snapshot = new AtomicReference<>(snapshot);
        this.scheduler = scheduler;
        this.cooldowns = cooldowns;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        this.attemptObserver = metrics::attemptFinished;
    }

    public Snapshot snapshot() {
        return snapshot.get();
    }

    /** Swaps in a new configuration; requests in flight keep the snapshot they started with. */
    public void replace(Snapshot next) {
        snapshot.set(next);
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Cooldowns cooldowns() {
        return cooldowns;
    }

    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    public RandomGenerator random() {
        return RANDOM;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Counts each provider call's outcome in the metrics. */
    public AttemptObserver attemptObserver() {
        return attemptObserver;
    }

    public Traffic traffic() {
        return traffic;
    }

    /** True once the application is stopping: new requests are refused with 503. */
    public boolean isDraining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
