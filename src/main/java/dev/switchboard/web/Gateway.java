package dev.switchboard.web;

import dev.switchboard.limits.Concurrency;
import dev.switchboard.limits.RateLimiter;
import dev.switchboard.routing.Dispatcher;
import dev.switchboard.spend.Budgets;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.time.Scheduler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running application as the servlets and filters see it: the current {@link Snapshot}, and
 * what outlives a configuration (the timer, cooldowns, rate-limit buckets, the exchanges in
 * flight). Built by the bootstrap and handed to each servlet and filter it registers. Shared; one
 * per deployed context.
 */
public final class Gateway {
    private final AtomicReference<Snapshot> snapshot;
    private final Scheduler scheduler;
    private final Dispatcher dispatcher;
    private final RateLimiter rateLimiter;
    private final GatewayMetrics metrics;
    private final Budgets budgets;
    private final Traffic traffic = new Traffic();
    private final Concurrency concurrency = new Concurrency();
    private volatile boolean draining;

    /** How often the watchdog looks at the exchanges in flight (docs/hostile-clients.md#every-exchange-ends). */
    public static final long WATCHDOG_PERIOD_MILLIS = 5_000;

    public Gateway(Snapshot snapshot, Scheduler scheduler, Dispatcher dispatcher, RateLimiter rateLimiter,
                   GatewayMetrics metrics) {
        this(snapshot, scheduler, dispatcher, rateLimiter, metrics, new Budgets(java.time.Clock.systemUTC()));
    }

    public Gateway(Snapshot snapshot, Scheduler scheduler, Dispatcher dispatcher, RateLimiter rateLimiter,
                   GatewayMetrics metrics, Budgets budgets) {
        this.budgets = budgets;
        this.snapshot = new AtomicReference<>(snapshot);
        this.scheduler = scheduler;
        this.dispatcher = dispatcher;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
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

    /** Starts each request's dispatch; holds the cooldowns and load every dispatch shares. */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The spending budgets of tokens and teams. */
    public Budgets budgets() {
        return budgets;
    }

    /** The caps on requests in flight: the node's, each token's and each team's. */
    public Concurrency concurrency() {
        return concurrency;
    }

    public Traffic traffic() {
        return traffic;
    }

    /**
     * Starts the watchdog: every {@link #WATCHDOG_PERIOD_MILLIS} on the timer, each exchange in
     * flight that has stopped moving past its deadlines is ended. It stops with the timer.
     */
    public void startWatchdog() {
        scheduler.schedule(this::watch, WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void watch() {
        try {
            traffic.watch(WATCHDOG_PERIOD_MILLIS);
        } finally {
            scheduler.schedule(this::watch, WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** True once the application is stopping: new requests are refused with 503. */
    public boolean isDraining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
