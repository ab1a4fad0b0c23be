package dev.switchboard.bootstrap;

import dev.switchboard.limits.RateLimiter;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.routing.Cooldowns;
import dev.switchboard.time.Scheduler;
import jakarta.servlet.ServletContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * The running application as the servlets and filters see it: the current {@link Snapshot}, and
 * what outlives a configuration (the timer, cooldowns, rate-limit buckets). One per deployed
 * context, held as a context attribute.
 */
public final class Gateway {
    static final String ATTRIBUTE = Gateway.class.getName();

    /** Jitter and weighted picks; each call uses the calling thread's generator, so it is safe to share. */
    private static final RandomGenerator RANDOM = () -> ThreadLocalRandom.current().nextLong();

    private final AtomicReference<Snapshot> snapshot;
    private final Scheduler scheduler;
    private final Cooldowns cooldowns;
    private final RateLimiter rateLimiter;
    private final GatewayMetrics metrics;
    private final Traffic traffic = new Traffic();
    private volatile boolean draining;

    Gateway(Snapshot snapshot, Scheduler scheduler, Cooldowns cooldowns, RateLimiter rateLimiter, GatewayMetrics metrics) {
        this.snapshot = new AtomicReference<>(snapshot);
        this.scheduler = scheduler;
        this.cooldowns = cooldowns;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
    }

    public static Gateway from(ServletContext context) {
        Gateway gateway = (Gateway) context.getAttribute(ATTRIBUTE);
        if (gateway == null) {
            throw new IllegalStateException("Switchboard did not start; see the log line above for why");
        }
        return gateway;
    }

    /** The metrics of the running gateway, or null while it is not running (startup failed, stopped). */
    public static GatewayMetrics metricsOf(ServletContext context) {
        Gateway gateway = (Gateway) context.getAttribute(ATTRIBUTE);
        return gateway == null ? null : gateway.metrics();
    }

    public Snapshot snapshot() {
        return snapshot.get();
    }

    void replace(Snapshot next) {
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

    public Traffic traffic() {
        return traffic;
    }

    /** True once the application is stopping: new requests are refused with 503. */
    public boolean isDraining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }
}
