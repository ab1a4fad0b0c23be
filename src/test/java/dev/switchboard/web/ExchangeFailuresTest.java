package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.Caller;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.limits.Concurrency;
import dev.switchboard.limits.LocalRateLimiter;
import dev.switchboard.provider.ProviderConnector;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.routing.Dispatcher;
import dev.switchboard.routing.LocalCooldowns;
import dev.switchboard.routing.Router;
import dev.switchboard.spend.PriceBook;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.time.ManualScheduler;
import dev.switchboard.time.Scheduler;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One exchange, with a fake container around it and a stand-in provider, with failures injected
 * on each kind of thread that touches it (docs/hostile-clients.md#every-exchange-ends): the
 * provider's side calling the exchange (an I/O thread in production), the timer, and a provider
 * whose own callback died and never answers. Each time the exchange must end (the container hears
 * complete), give back its place under the caps, cancel its upstream and bring the open-stream
 * gauge back to 0.
 */
class ExchangeFailuresTest {
    private static final String CONFIG = """
            {"providers": {"p": {"type": "openai", "baseUrl": "http://upstream.invalid/v1", "apiKey": "sk-test",
                                 "retry": {"attempts": 1}, "timeouts": {"firstByteMs": 2000, "idleMs": 2000}}},
             "models": {"m": {"provider": "p"}},
             "tokens": [{"name": "t", "token": "secret-token-1"}],
             "requests": {"bodyIdleMs": 1000}}
            """;
    private static final byte[] STREAM_BODY = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    private final ManualScheduler clock = new ManualScheduler();
    /** As the production timer does: a task that throws is logged and the timer goes on. */
    private final Scheduler scheduler = new Scheduler() {
        @Override
        public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
            return clock.schedule(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    timerFailures.incrementAndGet();
                }
            }, delay, unit);
        }

        @Override
        public long nanoTime() {
            return clock.nanoTime();
        }
    };
    private final AtomicInteger timerFailures = new AtomicInteger();
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final StandInProvider provider = new StandInProvider();
    private final GatewayConfig config = ConfigParser.parse(CONFIG, Map.of(), "test");
    private final Snapshot snapshot;
    private final Gateway gateway;
    private final FakeContainer container = new FakeContainer();

    ExchangeFailuresTest() {
        Map<ProviderType, ProviderConnector> connectors = new EnumMap<>(ProviderType.class);
        connectors.put(ProviderType.OPENAI, provider);
        snapshot = new Snapshot(config, new Router(config, connectors), new TokenVerifier(config.tokens(), config.teams()),
                0, null, PriceBook.of(config.models()));
        gateway = new Gateway(snapshot, scheduler, new Dispatcher(new LocalCooldowns(clock.clock()), scheduler,
                new Random(1), (p, outcome) -> { }), new LocalRateLimiter(), metrics);
    }

    /** A provider that only records the sink and whether its attempt was cancelled; the test plays it. */
    static final class StandInProvider implements ProviderConnector {
        ResponseSink sink;
        int cancels;

        @Override
        public dev.switchboard.provider.Attempt start(dev.switchboard.provider.ProviderCall call, ResponseSink attemptSink) {
            sink = attemptSink;
            return () -> cancels++;
        }
    }

    /** The request, response, streams and AsyncContext of one exchange, as a container would keep them. */
    static final class FakeContainer {
        final List<AsyncListener> listeners = new ArrayList<>();
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        int completions;
        int status;
        ReadListener reader;
        /** When set, every write throws it, as a write that runs out of memory does. */
        volatile Error writeFails;
        byte[] body;
        int bodyAt;

        final AsyncContext asyncContext = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "addListener" -> listeners.add((AsyncListener) args[0]);
                        case "complete" -> {
                            if (completions++ == 0) {
                                for (AsyncListener listener : List.copyOf(listeners)) {
                                    listener.onComplete(new AsyncEvent((AsyncContext) proxy));
                                }
                            }
                        }
                        default -> { }
                    }
                    return null;
                });

        final ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener writeListener) {
            }

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (writeFails != null) {
                    throw writeFails;
                }
                written.write(bytes, offset, length);
            }
        };

        final ServletInputStream in = new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return bodyAt == body.length;
            }

            @Override
            public boolean isReady() {
                return bodyAt < body.length;
            }

            @Override
            public void setReadListener(ReadListener readListener) {
                reader = readListener;
            }

            @Override
            public int read() {
                return bodyAt < body.length ? body[bodyAt++] & 0xff : -1;
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                if (bodyAt == body.length) {
                    return -1;
                }
                int n = Math.min(length, body.length - bodyAt);
                System.arraycopy(body, bodyAt, into, offset, n);
                bodyAt += n;
                return n;
            }
        };

        HttpServletRequest request() {
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "startAsync", "getAsyncContext" -> asyncContext;
                        case "getInputStream" -> in;
                        case "getContentLengthLong" -> (long) body.length;
                        case "getRemoteAddr" -> "127.0.0.1";
                        case "isAsyncStarted" -> true;
                        default -> null;
                    });
        }

        HttpServletResponse response() {
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "getOutputStream" -> {
                                return out;
                            }
                            case "setStatus" -> status = (Integer) args[0];
                            case "isCommitted" -> {
                                return false;
                            }
                            default -> { }
                        }
                        return null;
                    });
        }

        String text() {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    /** Starts the exchange with a place under the caps and delivers its body, as the container would. */
    private Concurrency.Permit start(byte[] body) throws Exception {
        container.body = body;
        Concurrency.Permit permit = gateway.concurrency().acquire(10, "t", null, null, null);
        ChatExchange.start(container.request(), container.response(), null, gateway, snapshot,
                new Caller("t", null), dev.switchboard.limits.Decision.UNLIMITED, Door.CHAT, permit);
        container.reader.onDataAvailable();
        container.reader.onAllDataRead();
        assertThat(provider.sink).as("the request reached the provider").isNotNull();
        return permit;
    }

    private double openStreams() {
        return ((GaugeSnapshot) metrics.registry().scrape().stream()
                .filter(s -> s.getMetadata().getName().equals("switchboard_active_streams"))
                .findFirst().orElseThrow()).getDataPoints().get(0).getValue();
    }

    private double abandoned() {
        return ((CounterSnapshot) metrics.registry().scrape().stream()
                .filter(s -> s.getMetadata().getName().equals("switchboard_exchanges_abandoned"))
                .findFirst().orElseThrow()).getDataPoints().get(0).getValue();
    }

    private void assertEnded() {
        assertThat(container.completions).as("the container heard the end").isPositive();
        assertThat(openStreams()).as("open streams").isZero();
        assertThat(gateway.concurrency().inFlight()).as("places taken under the caps").isZero();
        assertThat(gateway.traffic().count()).as("exchanges in flight").isZero();
        assertThat(provider.cancels).as("the upstream was released").isPositive();
    }

    /**
     * Runs what the provider's side does on its I/O thread: anything that escapes would end that
     * thread (HttpCore rethrows Errors), so it is caught here and counted, not left to the test.
     */
    private void onIoThread(Runnable call) {
        try {
            call.run();
        } catch (Throwable e) {
            escapedToIoThread.incrementAndGet();
        }
    }

    private final AtomicInteger escapedToIoThread = new AtomicInteger();

    private static SseEvent event(String json) {
        return SseEvent.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anErrorInTheExchangeOnTheProvidersThreadEndsItWithAnErrorEvent() throws Exception {
        start(STREAM_BODY);
        provider.sink.streamStart();
        provider.sink.chunk(event("{\"n\":1}"));
        assertThat(openStreams()).isEqualTo(1);

        // The provider's next chunk: writing it to the client runs out of memory.
        container.writeFails = new OutOfMemoryError("injected");
        onIoThread(() -> provider.sink.chunk(event("{\"n\":2}")));

        assertThat(escapedToIoThread).hasValue(0);
        assertEnded();
        assertThat(container.text()).contains("{\"n\":1}").doesNotContain("OutOfMemoryError");
    }

    @Test
    void aFaultBeforeTheResponseStartedIsA500InTheDoorsShape() throws Exception {
        start(STREAM_BODY);

        // A provider's side that hands over a broken completion: the exchange itself throws on it.
        onIoThread(() -> provider.sink.completion(null, null));

        assertThat(escapedToIoThread).hasValue(0);
        assertEnded();
        assertThat(container.status).isEqualTo(500);
        assertThat(container.text()).contains("\"code\":\"internal_error\"").doesNotContain("NullPointer");
    }

    @Test
    void anErrorInATimerTaskOfTheExchangeEndsIt() throws Exception {
        start(STREAM_BODY);
        provider.sink.streamStart();
        assertThat(openStreams()).isEqualTo(1);

        // The stream is quiet; the keep-alive task's write throws on the timer thread.
        container.writeFails = new OutOfMemoryError("injected");
        clock.advance(StreamTimers.KEEP_ALIVE_MILLIS + 1, TimeUnit.MILLISECONDS);

        assertThat(timerFailures).as("nothing reached the timer").hasValue(0);
        assertEnded();
    }

    @Test
    void theWatchdogEndsAStreamWhoseProviderCallbackDiedAndCountsIt() throws Exception {
        gateway.startWatchdog();
        start(STREAM_BODY);
        provider.sink.streamStart();
        provider.sink.chunk(event("{\"n\":1}"));
        assertThat(openStreams()).isEqualTo(1);

        // The provider's I/O callback died: no event, no end, no failure will ever come. The
        // client still takes keep-alives, which are no progress.
        long limit = StallWatch.limitMillis(config, StreamTimers.KEEP_ALIVE_MILLIS);
        clock.advance(limit - Gateway.WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(container.completions).as("not before its deadlines").isZero();
        assertThat(container.text()).contains(": keep-alive");

        clock.advance(3 * Gateway.WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);

        assertEnded();
        assertThat(abandoned()).isEqualTo(1);
        assertThat(container.text()).contains("\"code\":\"internal_error\"");
    }

    @Test
    void theWatchdogEndsARequestThatNeverHearsFromItsProviderWithA500() throws Exception {
        gateway.startWatchdog();
        start(STREAM_BODY);

        clock.advance(StallWatch.limitMillis(config, StreamTimers.KEEP_ALIVE_MILLIS)
                + 2 * Gateway.WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);

        assertEnded();
        assertThat(container.status).isEqualTo(500);
        assertThat(abandoned()).isEqualTo(1);
    }

    @Test
    void theWatchdogLeavesAMovingStreamAlone() throws Exception {
        gateway.startWatchdog();
        start(STREAM_BODY);
        provider.sink.streamStart();
        long limit = StallWatch.limitMillis(config, StreamTimers.KEEP_ALIVE_MILLIS);
        for (long t = 0; t < 3 * limit; t += 1_000) {
            provider.sink.chunk(event("{\"t\":" + t + "}"));
            clock.advance(1_000, TimeUnit.MILLISECONDS);
        }

        assertThat(container.completions).isZero();
        assertThat(abandoned()).isZero();
        provider.sink.streamEnd(null);
        assertThat(container.completions).isOne();
        assertThat(openStreams()).isZero();
        assertThat(timerFailures).hasValue(0);
    }
}
