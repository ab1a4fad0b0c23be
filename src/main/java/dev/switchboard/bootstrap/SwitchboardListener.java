package dev.switchboard.bootstrap;

import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.identity.HttpKeyFetcher;
import dev.switchboard.identity.JwtAuthenticator;
import dev.switchboard.identity.KeyDirectory;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLocator;
import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.DefaultConfig;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.ledger.LedgerRow;
import dev.switchboard.ledger.LedgerWriter;
import dev.switchboard.ledger.UsageReports;
import dev.switchboard.limits.LocalRateLimiter;
import dev.switchboard.limits.RateLimiter;
import dev.switchboard.provider.ProviderConnector;
import dev.switchboard.provider.anthropic.AnthropicConnector;
import dev.switchboard.provider.echo.EchoConnector;
import dev.switchboard.provider.gemini.GeminiConnector;
import dev.switchboard.provider.mapping.TokenEstimate;
import dev.switchboard.provider.openai.OpenAiConnector;
import dev.switchboard.routing.Cooldowns;
import dev.switchboard.routing.Dispatcher;
import dev.switchboard.routing.LocalCooldowns;
import dev.switchboard.routing.Router;
import dev.switchboard.spend.Budgets;
import dev.switchboard.state.RedisCooldowns;
import dev.switchboard.state.RedisRateLimiter;
import dev.switchboard.state.RedisStore;
import dev.switchboard.state.SharedCounters;
import dev.switchboard.telemetry.AccessLog;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.tracing.Tracing;
import dev.switchboard.time.ExecutorScheduler;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.web.AccessLogFilter;
import dev.switchboard.web.BearerAuthFilter;
import dev.switchboard.web.DoorServlet;
import dev.switchboard.web.Gateway;
import dev.switchboard.web.HealthServlet;
import dev.switchboard.web.MetricsAccessFilter;
import dev.switchboard.web.ModelsServlet;
import dev.switchboard.web.NotFoundServlet;
import dev.switchboard.web.ReadinessServlet;
import dev.switchboard.web.RequestIdFilter;
import dev.switchboard.web.UsageServlet;
import dev.switchboard.web.Snapshot;
import dev.switchboard.web.UnreadBodyFilter;
import dev.switchboard.spend.PriceBook;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops Switchboard with its web application: loads the configuration, builds the one
 * HTTP client, the connectors and the router, watches the configuration file, and on the way out
 * lets streams in flight finish before closing everything. An unusable configuration stops the
 * deployment with one log line naming the field: never a half-started gateway.
 */
public final class SwitchboardListener implements ServletContextListener {
    private static final Logger LOG = LoggerFactory.getLogger("switchboard");
    /** Jitter and weighted picks; each call uses the calling thread's generator, so it is safe to share. */
    private static final RandomGenerator RANDOM = () -> ThreadLocalRandom.current().nextLong();

    /** After the grace period, how long streams ended with an error event get to flush it. */
    static final long FLUSH_MILLIS = 1_000;
    /** How long upstream exchanges still open after the drain may take to close. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private ExecutorScheduler scheduler;
    private UpstreamClient upstreamClient;
    private Map<ProviderType, ProviderConnector> connectors;
    private ConfigWatcher watcher;
    private Gateway gateway;
    /** The Redis shared by several nodes and what keeps state there; null without a redis section. */
    private RedisStore store;
    private RedisCooldowns sharedCooldowns;
    private LedgerWiring ledger;
    private UsageReports usageReports;
    private AccessLog accessLog;
    /** The signing keys of JWT issuers, kept across reloads. */
    private KeyDirectory keyDirectory;
    /** Traces (docs/operations.md#tracing); OFF unless the OTEL_* settings or the Java agent ask for them. */
    private Tracing tracing = Tracing.OFF;
    private GatewayMetrics metrics;
    /** The garbage collectors whose notifications the metrics listen to, until they close. */
    private final List<GarbageCollectorMXBean> collectors;

    /** As the container makes it. */
    public SwitchboardListener() {
        this(ManagementFactory.getGarbageCollectorMXBeans());
    }

    SwitchboardListener(List<GarbageCollectorMXBean> collectors) {
        this.collectors = collectors;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Loaded loaded;
        try {
            loaded = loadConfig(event.getServletContext().getInitParameter(ConfigLocator.CONTEXT_PARAMETER));
        } catch (ConfigException e) {
            LOG.error("Switchboard configuration is invalid, not starting: {}", e.getMessage());
            throw new StartupFailure("Switchboard configuration is invalid: " + e.getMessage());
        }
        try {
            start(event.getServletContext(), loaded);
        } catch (RuntimeException | Error e) {
            // A container need not call contextDestroyed after a failed start: close here what it opened. The
            // timer's thread and the metrics' listener on the JVM's collectors would otherwise keep this
            // application's class loader (docs/operations.md#stopping).
            close();
            throw e;
        }
    }

    private void start(ServletContext context, Loaded loaded) {
        GatewayConfig config = loaded.config();
        scheduler = new ExecutorScheduler();
        tracing = Tracing.fromEnvironment();
        metrics = new GatewayMetrics(tracing.isOn(), collectors);
        Cooldowns cooldowns = new LocalCooldowns(Clock.systemUTC());
        RateLimiter rateLimiter = new LocalRateLimiter();
        if (config.redis() != null) {
            try {
                store = RedisStore.open(config.redis(), scheduler, metrics.store());
            } catch (ConfigException e) {
                LOG.error("Switchboard configuration is invalid, not starting: {}", e.getMessage());
                throw new StartupFailure("Switchboard configuration is invalid: " + e.getMessage());
            }
            sharedCooldowns = new RedisCooldowns(store, scheduler, Clock.systemUTC(), metrics.store());
            cooldowns = sharedCooldowns;
            rateLimiter = new RedisRateLimiter(store, new LocalRateLimiter(), metrics.store());
        }
        upstreamClient = new UpstreamClient();
        connectors = connectors(upstreamClient, scheduler);
        keyDirectory = new KeyDirectory(new HttpKeyFetcher(upstreamClient), scheduler);
        Dispatcher dispatcher = new Dispatcher(cooldowns, scheduler, RANDOM, metrics::attemptFinished);
        Budgets budgets = new Budgets(Clock.systemUTC(),
                store == null ? null : new SharedCounters(store, metrics.store(), Budgets.SHARED_USE));
        budgets.trackAll(config);
        gateway = new Gateway(snapshot(config), scheduler, dispatcher, rateLimiter, metrics, budgets);
        gateway.startWatchdog();
        ledger = LedgerWiring.open(config.database(), context.getContextPath(),
                metrics.registry(), budgets);
        LedgerWriter writer = ledger.writer();
        budgets.seedThrough(writer);
        usageReports = new UsageReports(ledger.database());
        accessLog = AccessLog.start();
        register(context, gateway, row -> {
            budgets.spend(row);
            writer.offer(row);
        }, usageReports, tracing, accessLog);
        if (loaded.file() != null) {
            watch(loaded.file(), loaded.content());
        }
        // Here, before the first request, not on the thread of the first estimate (TokenEstimate.Table).
        long tokenizerMillis = TokenEstimate.load();
        LOG.info("Switchboard started: {} provider(s) {}, {} model(s), aliases {}, {} token(s); configuration from {};"
                        + " token estimates' o200k_base table read in {} ms",
                config.providers().size(), config.providers().keySet(), config.models().size(),
                config.aliases().keySet(), config.tokens().size(), config.source(), tokenizerMillis);
    }

    static Map<ProviderType, ProviderConnector> connectors(UpstreamClient client, ExecutorScheduler scheduler) {
        Map<ProviderType, ProviderConnector> connectors = new EnumMap<>(ProviderType.class);
        connectors.put(ProviderType.OPENAI, new OpenAiConnector(client, scheduler));
        connectors.put(ProviderType.ANTHROPIC, new AnthropicConnector(client, scheduler));
        connectors.put(ProviderType.GEMINI, new GeminiConnector(client, scheduler));
        connectors.put(ProviderType.ECHO, new EchoConnector());
        return connectors;
    }

    private Snapshot snapshot(GatewayConfig config) {
        keyDirectory.retain(config.jwtIssuers());
        JwtAuthenticator jwt = config.jwtIssuers().isEmpty() ? null
                : new JwtAuthenticator(config.jwtIssuers(), config.teams(), keyDirectory, Clock.systemUTC());
        return new Snapshot(config, new Router(config, connectors), new TokenVerifier(config.tokens(), config.teams()),
                System.currentTimeMillis() / 1000, jwt, PriceBook.of(config.models()));
    }

    /**
     * The whole web wiring in one place: each filter and servlet is built here with what it needs,
     * so that nothing in {@code web} reaches back for the gateway. Filters run in the order they
     * are added (Jakarta Servlet 6.0 §4.4.2); {@code /metrics} is the Prometheus client's own servlet.
     */
    private static void register(ServletContext context, Gateway gateway, Consumer<LedgerRow> ledgerRows,
                                 UsageReports usageReports, Tracing tracing, AccessLog accessLog) {
        // These also see asynchronous dispatches: a JWT whose keys had to be fetched comes back through them.
        EnumSet<DispatcherType> andAsync = EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC);
        filter(context, "unread-body", new UnreadBodyFilter(gateway), true, andAsync, "/*");
        filter(context, "request-id", new RequestIdFilter(), true, "/*");
        filter(context, "access-log", new AccessLogFilter(gateway.metrics(), ledgerRows, tracing, gateway.traffic(), accessLog),
                true, andAsync, "/v1/*");
        filter(context, "bearer-auth", new BearerAuthFilter(gateway), true, andAsync, "/v1/*");
        filter(context, "metrics-access", new MetricsAccessFilter(gateway), true, "/metrics");
        DoorServlet.all(gateway).forEach((path, servlet) -> servlet(context, "door " + path, servlet, true, path));
        servlet(context, "models", new ModelsServlet(), true, "/v1/models", "/v1/models/*");
        servlet(context, "usage", new UsageServlet(gateway, usageReports), true, "/v1/organization/costs",
                "/v1/organization/usage/completions", "/v1/organization/budgets");
        // Asynchronous support everywhere: a request answered before its body arrived goes asynchronous to end.
        servlet(context, "health", new HealthServlet(), true, "/healthz");
        servlet(context, "readiness", new ReadinessServlet(gateway), true, "/readyz");
        servlet(context, "metrics", new PrometheusMetricsServlet(gateway.metrics().registry()), true, "/metrics");
        servlet(context, "not-found", new NotFoundServlet(), true, "/");
    }

    private static void filter(ServletContext context, String name, Filter filter, boolean async, String... paths) {
        filter(context, name, filter, async, EnumSet.of(DispatcherType.REQUEST), paths);
    }

    private static void filter(ServletContext context, String name, Filter filter, boolean async,
                               EnumSet<DispatcherType> dispatches, String... paths) {
        FilterRegistration.Dynamic registration = context.addFilter(name, filter);
        registration.setAsyncSupported(async);
        registration.addMappingForUrlPatterns(dispatches, true, paths);
    }

    private static void servlet(ServletContext context, String name, Servlet servlet, boolean async, String... paths) {
        ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
        registration.setAsyncSupported(async);
        registration.addMapping(paths);
    }

    private void watch(Path file, byte[] applied) {
        try {
            watcher = new ConfigWatcher(file, applied, content -> reload(file, content));
        } catch (IOException e) {
            LOG.warn("cannot watch {} for changes ({}); restart to apply configuration changes", file, e.toString());
        }
    }

    /**
     * Swaps in a changed configuration atomically: requests in flight keep the snapshot they
     * started with. A configuration that does not parse is rejected with one log line and the
     * current one stays.
     */
    void reload(Path file, byte[] content) {
        GatewayConfig next;
        try {
            next = ConfigParser.parse(new String(content, StandardCharsets.UTF_8), System.getenv(), "file " + file);
        } catch (ConfigException e) {
            LOG.warn("Configuration change in {} rejected, keeping the previous configuration: {}", file, e.getMessage());
            return;
        }
        if (!Objects.equals(next.redis(), gateway.snapshot().config().redis())) {
            LOG.warn("The redis section changed in {}; it applies when the application restarts", file);
        }
        gateway.budgets().trackAll(next);
        gateway.replace(snapshot(next));
        LOG.info("Configuration reloaded from {}: {} provider(s), {} model(s), aliases {}, {} token(s)", file,
                next.providers().size(), next.models().size(), next.aliases().keySet(), next.tokens().size());
    }

    /** The configuration and, when it came from a file, that file and the bytes that were parsed. */
    private record Loaded(GatewayConfig config, Path file, byte[] content) {
    }

    private Loaded loadConfig(String contextParameter) {
        Map<String, String> env = System.getenv();
        Optional<ConfigLocator.Located> located = ConfigLocator.locate(jndiConfig(), contextParameter,
                System.getProperty(ConfigLocator.SYSTEM_PROPERTY), env.get(ConfigLocator.ENV_VARIABLE),
                System.getProperty("catalina.base"));
        if (located.isPresent()) {
            ConfigLocator.Located file = located.get();
            byte[] content;
            try {
                content = Files.readAllBytes(file.path());
            } catch (IOException e) {
                throw new ConfigException(null, "cannot read " + file.path() + " (named by " + file.origin() + "): " + e);
            }
            return new Loaded(ConfigParser.parse(new String(content, StandardCharsets.UTF_8), env,
                    "file " + file.path() + " (named by " + file.origin() + ")"), file.path(), content);
        }
        DefaultConfig.Result result = DefaultConfig.fromEnvironment(env);
        for (String notice : result.notices()) {
            LOG.info("{}", notice);
        }
        for (String warning : result.warnings()) {
            LOG.warn("{}", warning);
        }
        if (result.generatedToken() != null) {
            // Logged once, by design: with no token configured this is the only way to learn it.
            LOG.warn("{} is not set; generated this bearer token for this run: {}",
                    DefaultConfig.TOKEN_VARIABLE, result.generatedToken());
        }
        return new Loaded(result.config(), null, null);
    }

    private static String jndiConfig() {
        try {
            Object value = new InitialContext().lookup(ConfigLocator.JNDI_NAME);
            return value == null ? null : value.toString();
        } catch (NamingException | RuntimeException e) {
            // No JNDI environment (plain Jetty) or no such entry: try the next source.
            return null;
        }
    }

    /**
     * Refuses new requests, gives streams in flight the configured grace period to finish, ends
     * the rest with an error event, then closes the watcher, the HTTP client and the timer, so
     * that no thread or connection outlives the application.
     */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (gateway != null) {
            gateway.startDraining();
            long grace = gateway.snapshot().config().shutdownGraceMs();
            int inFlight = gateway.traffic().count();
            if (inFlight > 0) {
                LOG.info("Switchboard stopping: waiting up to {} ms for {} request(s) in flight", grace, inFlight);
            }
            try {
                int ended = gateway.traffic().drain(grace, FLUSH_MILLIS);
                if (ended > 0) {
                    LOG.warn("Switchboard stopping: ended {} request(s) still running after the {} ms grace period",
                            ended, grace);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
        LOG.info("Switchboard stopped");
    }

    /** Closes what a start opened, however far it got; each once, so that calling it again does nothing. */
    private void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
        if (usageReports != null) {
            usageReports.close();
            usageReports = null;
        }
        // The requests are over: their last lines go to the logger now.
        if (accessLog != null) {
            accessLog.close();
            accessLog = null;
        }
        if (ledger != null) {
            ledger.close();
            ledger = null;
        }
        if (upstreamClient != null) {
            upstreamClient.close(CLOSE_GRACE);
            upstreamClient = null;
        }
        if (sharedCooldowns != null) {
            sharedCooldowns.close();
            sharedCooldowns = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
        if (scheduler != null) {
            scheduler.close();
            scheduler = null;
        }
        // Last: the requests ended above have ended their spans, which go out now.
        tracing.close();
        tracing = Tracing.OFF;
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        // After everything that might still compare, hash or print one of this application's records.
        RecordMethodCaches.release();
    }

    /** Aborts the deployment; its message is the one line that says why, so no stack trace. */
    static final class StartupFailure extends RuntimeException {
        StartupFailure(String message) {
            super(message, null, false, false);
        }
    }
}
