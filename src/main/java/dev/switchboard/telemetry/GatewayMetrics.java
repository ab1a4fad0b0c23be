package dev.switchboard.telemetry;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The gateway's Prometheus metrics, in a registry of its own (not the library's global one, which
 * would outlive a redeployment). Label values come only from the configuration (model ids,
 * provider ids, token names) or from fixed sets (status codes, outcomes), never from raw client
 * input, so no client can grow the number of series. Shared and thread-safe.
 */
public final class GatewayMetrics {
    /** The model and provider label of a request that never resolved to a configured model. */
    public static final String UNRESOLVED = "none";

    private static final double[] DURATION_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    private static final double[] FIRST_TOKEN_BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final boolean exemplars;
    private final Counter requests;
    private final Histogram duration;
    private final Histogram firstToken;
    private final Counter tokens;
    private final Counter attempts;
    private final Counter cost;
    private final Gauge activeStreams;
    private final Counter abandoned;
    private final PoolAllocations poolAllocations;
    /** Registered only when the configuration has a redis section, so that a single node shows no Redis series. */
    private volatile StoreMetrics store;

    public GatewayMetrics() {
        this(false);
    }

    /**
     * @param exemplars whether the request-duration and time-to-first-token histograms keep
     *     exemplars naming the trace current when they observe (only while tracing is on: the
     *     exemplar sampler starts a daemon thread, {@code prometheus-metrics-scheduler-*}, which
     *     {@link #close} stops). A trace id is never a label (docs/operations.md#tracing).
     */
    public GatewayMetrics(boolean exemplars) {
        this(exemplars, ManagementFactory.getGarbageCollectorMXBeans());
    }

    /**
     * @param exemplars as {@link #GatewayMetrics(boolean)}
     * @param collectors the garbage collectors whose notifications count allocations, listened to until {@link #close}
     */
    public GatewayMetrics(boolean exemplars, List<GarbageCollectorMXBean> collectors) {
        this.exemplars = exemplars;
        // Exemplars otherwise off: there is no trace to link to.
        requests = Counter.builder().name("switchboard_requests_total")
                .help("Requests to the model endpoints, by endpoint, resolved model, provider, HTTP status and whether streamed")
                .labelNames("endpoint", "model", "provider", "status", "stream").withoutExemplars().register(registry);
        Histogram.Builder durationBuilder = Histogram.builder().name("switchboard_request_duration_seconds")
                .help("Time from a model request's arrival to its last byte")
                .labelNames("model", "provider").classicOnly().classicUpperBounds(DURATION_BUCKETS);
        duration = (exemplars ? durationBuilder : durationBuilder.withoutExemplars()).register(registry);
        Histogram.Builder firstTokenBuilder = Histogram.builder().name("switchboard_time_to_first_token_seconds")
                .help("Time from a streamed request's arrival to its first chunk carrying content, reasoning or a tool call")
                .labelNames("model", "provider").classicOnly().classicUpperBounds(FIRST_TOKEN_BUCKETS);
        firstToken = (exemplars ? firstTokenBuilder : firstTokenBuilder.withoutExemplars()).register(registry);
        tokens = Counter.builder().name("switchboard_tokens_total")
                .help("Tokens reported by providers, by kind (prompt or completion), model and Switchboard token name")
                .labelNames("kind", "model", "token").withoutExemplars().register(registry);
        cost = Counter.builder().name("switchboard_cost_usd_total")
                .help("What requests cost in USD (docs/spend.md), by Switchboard token name, team and model")
                .labelNames("token", "team", "model").withoutExemplars().register(registry);
        attempts = Counter.builder().name("switchboard_upstream_attempts_total")
                .help("Calls to providers, by provider and outcome")
                .labelNames("provider", "outcome").withoutExemplars().register(registry);
        activeStreams = Gauge.builder().name("switchboard_active_streams")
                .help("Event streams currently open to clients").withoutExemplars().register(registry);
        abandoned = Counter.builder().name("switchboard_exchanges_abandoned_total")
                .help("Exchanges the watchdog ended because they made no progress past their deadlines")
                .withoutExemplars().register(registry);
        poolAllocations = registerJvmMetrics(registry, collectors);
    }

    /**
     * The Prometheus client's JVM metrics, as its {@code JvmMetrics} registers them, except the
     * allocation counter, which is {@link PoolAllocations}: the client's own would keep listening to
     * the JVM's garbage collectors, and keep this application's class loader, after an undeploy.
     */
    private static PoolAllocations registerJvmMetrics(PrometheusRegistry registry,
                                                      List<GarbageCollectorMXBean> collectors) {
        PrometheusProperties config = PrometheusProperties.get();
        JvmThreadsMetrics.builder(config).register(registry);
        JvmBufferPoolMetrics.builder(config).register(registry);
        JvmClassLoadingMetrics.builder(config).register(registry);
        JvmCompilationMetrics.builder(config).register(registry);
        JvmGarbageCollectorMetrics.builder(config).register(registry);
        PoolAllocations allocations = PoolAllocations.start(registry, collectors);
        JvmMemoryMetrics.builder(config).register(registry);
        JvmNativeMemoryMetrics.builder(config).register(registry);
        JvmRuntimeInfoMetric.builder(config).register(registry);
        ProcessMetrics.builder(config).register(registry);
        return allocations;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Stops listening to the garbage collectors and stops the exemplar sampler's thread, if
     * exemplars are kept; the application's last use of the metrics, as a histogram observed
     * afterwards would find the sampler stopped.
     */
    public void close() {
        poolAllocations.close();
        if (exemplars) {
            ExemplarScheduler.stop();
        }
    }

    /**
     * One finished request to a model endpoint.
     *
     * @param endpoint which one, from a fixed set (chat_completions, messages, responses …)
     */
    public void request(String endpoint, String model, String provider, int status, boolean stream, double seconds) {
        requests.labelValues(endpoint, model, provider, Integer.toString(status), Boolean.toString(stream)).inc();
        duration.labelValues(model, provider).observe(seconds);
    }

    public void firstToken(String model, String provider, double seconds) {
        firstToken.labelValues(model, provider).observe(seconds);
    }

    public void tokens(String model, String token, long prompt, long completion) {
        tokens.labelValues("prompt", model, token).inc(prompt);
        tokens.labelValues("completion", model, token).inc(completion);
    }

    /**
     * What one request cost.
     *
     * @param team the token's team, or null for {@link #UNRESOLVED}
     */
    public void cost(String token, String team, String model, long picoUsd) {
        cost.labelValues(token, team == null ? UNRESOLVED : team, model).inc(picoUsd / Usd.PICO_PER_USD);
    }

    /** One call to a provider ended; {@code outcome} is one of a fixed set of labels. */
    public void attemptFinished(String provider, String outcome) {
        attempts.labelValues(provider, outcome).inc();
    }

    /**
     * The metrics of the store shared by several nodes (docs/operations.md#running-several-nodes),
     * registered on the first call.
     */
    public synchronized StoreMetrics store() {
        if (store == null) {
            store = new StoreMetrics(registry);
        }
        return store;
    }

    /** What to alert on when nodes share Redis. Thread-safe. */
    public static final class StoreMetrics {
        private final Gauge up;
        private final Counter outages;
        private final Counter fallbacks;

        StoreMetrics(PrometheusRegistry registry) {
            up = Gauge.builder().name("switchboard_redis_up")
                    .help("1 while Redis answers, 0 while the node goes on without it").withoutExemplars().register(registry);
            outages = Counter.builder().name("switchboard_redis_outages_total")
                    .help("Times Redis stopped answering (each outage counts once)").withoutExemplars().register(registry);
            fallbacks = Counter.builder().name("switchboard_redis_fallbacks_total")
                    .help("Decisions and updates made without Redis, by what they were for (limits, cooldowns)")
                    .labelNames("use").withoutExemplars().register(registry);
        }

        public void up(boolean answering) {
            up.set(answering ? 1 : 0);
        }

        public void outage() {
            outages.inc();
        }

        /** @param use {@code limits} or {@code cooldowns} */
        public void fallback(String use) {
            fallbacks.labelValues(use).inc();
        }
    }

    public void streamOpened() {
        activeStreams.inc();
    }

    public void streamClosed() {
        activeStreams.dec();
    }

    /** The watchdog ended a stuck exchange. */
    public void exchangeAbandoned() {
        abandoned.inc();
    }
}
