package dev.switchboard.state;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.RedisConfig;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.time.Scheduler;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultEventLoopGroupProvider;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.Transports;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection to the Redis that the nodes of a fleet share (docs/operations.md#running-several-nodes),
 * built once by the bootstrap from the {@code redis} section and handed to everything that keeps
 * state there: the limits and cooldowns of this package, and any later user (spend budgets) that
 * needs a counter every node sees.
 *
 * <p>How to use it: from a thread of the container (or any thread that outlives the application),
 * hand the work to {@link #execute} first; there, take {@link #commands()} (Lettuce's
 * asynchronous API: every call returns at once, never blocks, and fails after
 * {@code redis.timeoutMs}), name keys with {@link #key} so that they sit under
 * {@code redis.keyPrefix}, skip Redis while {@link #isUp()} is false, and report each call's end
 * with {@link #succeeded()} or {@link #failed}. The first failure of an
 * outage is logged once and counted; a probe every second notices Redis answering again, and
 * the connection reconnects by itself.
 *
 * <p>Four Lettuce threads (one for I/O, which runs the work handed over too, two for its own
 * callbacks, its timer) serve all of the node's requests; none is added per request. The URL is a secret and appears in no log line.
 * Shared; thread-safe; closed by the bootstrap.
 */
public final class RedisStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);

    /** The longest a connection attempt may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long the bootstrap waits for the first connection before it starts without one: a
     * refused connection ends at once, this bounds a Redis that does not answer at all (and a
     * first connection's class loading on a busy machine).
     */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(5);
    /**
     * Lettuce's reconnection logs each failed attempt (one a second during an outage); the store
     * logs an outage once instead. Kept here: java.util.logging holds its loggers weakly.
     */
    private static final java.util.logging.Logger RECONNECTION_LOG = quiet("io.lettuce.core.protocol");
    /** How often an unreachable Redis is asked again. */
    static final long PROBE_MILLIS = 1_000;
    /** Commands that may wait to be written at once; more fail at once, as an outage would. */
    static final int MAX_QUEUED_COMMANDS = 10_000;
    /** Longest wait between two reconnection attempts of a dropped connection. */
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    private final RedisConfig config;
    private final RedisURI uri;
    private final DefaultEventLoopGroupProvider loops;
    private final EventExecutor loop;
    private final ClientResources resources;
    private final RedisClient client;
    /** Keys as UTF-8 strings, values as bytes. Made on the start thread: its class sets up Netty's thread-locals. */
    private final RedisCodec<String, byte[]> codec;
    private final Scheduler scheduler;
    private final GatewayMetrics.StoreMetrics metrics;
    private final Object lock = new Object();

    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile boolean up;
    private volatile boolean closed;
    /** Whether an outage was logged and not yet over. Guarded by lock. */
    private boolean outage;
    /** Whether a probe is scheduled or running. Guarded by lock. */
    private boolean probing;
    private Scheduler.Cancellable nextProbe = Scheduler.Cancellable.NONE;

    private RedisStore(RedisConfig config, RedisURI uri, Scheduler scheduler, GatewayMetrics.StoreMetrics metrics) {
        this.config = config;
        this.uri = uri;
        this.scheduler = scheduler;
        this.metrics = metrics;
        // One I/O thread, which also runs the work handed over with execute(): a command sent from
        // the connection's own event loop is written there and then, without another hand-over.
        this.loops = new DefaultEventLoopGroupProvider(1);
        this.loop = loops.allocate(Transports.eventLoopGroupClass()).next();
        this.resources = ClientResources.builder().eventLoopGroupProvider(loops).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        this.codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While disconnected, fail at once rather than queue: the node falls back instead of waiting.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(MAX_QUEUED_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(config.timeoutMs())))
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
                .build());
        metrics.up(false);
    }

    /**
     * Connects to the configured Redis, waiting at most {@link #CONNECT_TIMEOUT}. A Redis that
     * does not answer then does not stop the node: it starts in its {@code onFailure} mode and
     * connects when Redis answers.
     *
     * @throws ConfigException when the URL cannot be read (the message does not repeat it)
     */
    public static RedisStore open(RedisConfig config, Scheduler scheduler, GatewayMetrics.StoreMetrics metrics) {
        RedisURI uri;
        try {
            uri = RedisURI.create(config.url());
        } catch (RuntimeException e) {
            throw new ConfigException("redis.url", "cannot be read as a Redis URL (the value is not repeated here: it"
                    + " may hold a password)");
        }
        // The connection's own handshake (HELLO, AUTH) runs under this timeout; commands under timeoutMs.
        uri.setTimeout(CONNECT_TIMEOUT);
        RedisStore store = onOwnThread("switchboard-redis-start", () -> new RedisStore(config, uri, scheduler, metrics));
        CompletableFuture<Object> connected = new CompletableFuture<>();
        store.execute(() -> store.connect().whenComplete((done, error) -> {
            if (error == null) {
                connected.complete(done);
            } else {
                connected.completeExceptionally(error);
            }
        }), () -> connected.completeExceptionally(StoreUnavailable.INSTANCE));
        try {
            connected.get(STARTUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            store.failed(e);
        } catch (Exception e) {
            store.failed(e.getCause() != null ? e.getCause() : e);
        }
        return store;
    }

    /**
     * Runs {@code work} on a short-lived thread of its own and waits for it: Netty leaves
     * thread-local caches on the thread that builds or stops its event loops, and a container's
     * pooled thread must not keep them (see {@link #execute}).
     */
    private static <T> T onOwnThread(String name, java.util.concurrent.Callable<T> work) {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(work);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + name, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private CompletionStage<?> connect() {
        return client.connectAsync(codec, uri).thenAccept(connected -> {
            if (closed) {
                connected.closeAsync();
                return;
            }
            connection = connected;
            LOG.info("Connected to Redis {}:{}; limits and cooldowns are shared through it (key prefix '{}')",
                    uri.getHost(), uri.getPort(), config.keyPrefix());
            succeeded();
        });
    }

    /**
     * Lettuce's asynchronous commands, with {@code redis.timeoutMs} on each.
     *
     * @throws StoreUnavailable before the first connection
     */
    public RedisAsyncCommands<String, byte[]> commands() {
        StatefulRedisConnection<String, byte[]> current = connection;
        if (current == null) {
            throw StoreUnavailable.INSTANCE;
        }
        return current.async();
    }

    /**
     * Runs {@code task} on Lettuce's I/O thread, where the connection's commands are written. A command sent from any other thread leaves
     * Netty's thread-local caches on it, which on a container's pooled thread hold the application's
     * class loader after it stops (Tomcat reports the leak on undeploy); Lettuce's threads stop with
     * the store. A task refused because the store is closing runs {@code ifRefused}.
     */
    public void execute(Runnable task, Runnable ifRefused) {
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ifRefused.run();
        }
    }

    /** {@code name} under the configured prefix ({@code switchboard:} by default). */
    public String key(String name) {
        return config.keyPrefix() + name;
    }

    /** Whether Redis answered the latest call; while it did not, users go on without it. */
    public boolean isUp() {
        return up;
    }

    /** What users do while Redis does not answer. */
    public RedisConfig.OnFailure onFailure() {
        return config.onFailure();
    }

    /** A call answered: an outage, if there was one, is over. */
    public void succeeded() {
        if (up) {
            return;
        }
        boolean recovered;
        synchronized (lock) {
            if (up || closed) {
                return;
            }
            up = true;
            recovered = outage;
            outage = false;
            nextProbe.cancel();
            probing = false;
        }
        metrics.up(true);
        if (recovered) {
            LOG.info("Redis answers again; limits and cooldowns are shared again");
        }
    }

    /** A call failed or timed out: the first failure of an outage is logged and counted, and probing begins. */
    public void failed(Throwable cause) {
        synchronized (lock) {
            up = false;
            if (closed || outage) {
                return;
            }
            outage = true;
            if (!probing) {
                probing = true;
                nextProbe = scheduler.schedule(this::probe, PROBE_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        metrics.up(false);
        metrics.outage();
        LOG.warn("Redis does not answer ({}); {} until it does", describe(cause),
                config.onFailure() == RedisConfig.OnFailure.LOCAL
                        ? "this node goes on with its own limits and cooldowns"
                        : "requests of tokens with limits are refused with 503 and cooldowns stay this node's own");
    }

    /** From the timer: the probe itself runs on a Lettuce thread, as every command does. */
    private void scheduledProbe() {
        execute(this::probe, () -> { });
    }

    private void probe() {
        StatefulRedisConnection<String, byte[]> current = connection;
        CompletionStage<?> attempt;
        try {
            attempt = current == null ? connect() : current.async().ping();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((result, error) -> {
            if (error == null) {
                succeeded();
                return;
            }
            synchronized (lock) {
                if (!closed && !up) {
                    nextProbe = scheduler.schedule(this::scheduledProbe, PROBE_MILLIS, TimeUnit.MILLISECONDS);
                } else {
                    probing = false;
                }
            }
        });
    }

    /** What went wrong, without the URL or the password (Lettuce's messages name the host at most). */
    private String describe(Throwable cause) {
        String message = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        message = message.replace(config.url(), "(redis.url)");
        String password = password(config.url());
        return password.isEmpty() ? message : message.replace(password, "(password)");
    }

    /** The password of {@code redis://[user:]password@host…}, or "" (a bare {@code redis://password@host} is one too). */
    static String password(String url) {
        int start = url.indexOf("://") + 3;
        int at = url.lastIndexOf('@');
        if (start < 3 || at <= start) {
            return "";
        }
        String userInfo = url.substring(start, at);
        int colon = userInfo.indexOf(':');
        return colon < 0 ? userInfo : userInfo.substring(colon + 1);
    }

    /** Closes the connection and stops Lettuce's threads, waiting a few seconds at most. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            up = false;
            nextProbe.cancel();
        }
        StatefulRedisConnection<String, byte[]> current = connection;
        onOwnThread("switchboard-redis-stop", () -> {
            try {
                if (current != null) {
                    current.close();
                }
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
                loops.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("Redis client did not stop cleanly: {}", describe(e));
            }
            return null;
        });
    }
}
