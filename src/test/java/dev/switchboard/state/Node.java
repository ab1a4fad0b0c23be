package dev.switchboard.state;

import dev.switchboard.config.RedisConfig;
import dev.switchboard.limits.LocalRateLimiter;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.time.ExecutorScheduler;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Clock;

/**
 * One gateway node's shared state, as the bootstrap builds it, for tests: its store, limiter and
 * cooldowns on a timer of its own, and its metrics. Closed by the test.
 */
final class Node implements AutoCloseable {
    final ExecutorScheduler scheduler = new ExecutorScheduler();
    final GatewayMetrics metrics = new GatewayMetrics();
    final RedisStore store;
    final RedisRateLimiter limiter;
    final RedisCooldowns cooldowns;

    Node(RedisConfig config) {
        store = RedisStore.open(config, scheduler, metrics.store());
        limiter = new RedisRateLimiter(store, new LocalRateLimiter(), metrics.store());
        cooldowns = new RedisCooldowns(store, scheduler, Clock.systemUTC(), metrics.store());
    }

    /**
     * A second for each command: on a busy two-core machine a 100 ms command can time out, and the
     * node then rightly decides alone, which is not what most of these tests look at.
     */
    static final long PATIENT_TIMEOUT_MS = 1_000;

    static RedisConfig config(String url, String prefix, RedisConfig.OnFailure onFailure) {
        return new RedisConfig(url, PATIENT_TIMEOUT_MS, onFailure, prefix);
    }

    double redisUp() {
        return ((GaugeSnapshot) metric("switchboard_redis_up")).getDataPoints().get(0).getValue();
    }

    double outages() {
        return ((CounterSnapshot) metric("switchboard_redis_outages")).getDataPoints().get(0).getValue();
    }

    double fallbacks(String use) {
        return ((CounterSnapshot) metric("switchboard_redis_fallbacks")).getDataPoints().stream()
                .filter(point -> point.getLabels().get("use").equals(use))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }

    private MetricSnapshot metric(String name) {
        return metrics.registry().scrape().stream().filter(s -> s.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
    }

    @Override
    public void close() {
        cooldowns.close();
        store.close();
        scheduler.close();
    }
}
