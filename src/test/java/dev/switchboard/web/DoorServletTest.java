package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.Caller;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.limits.Decision;
import dev.switchboard.limits.Quota;
import dev.switchboard.limits.RateLimiter;
import dev.switchboard.routing.Dispatcher;
import dev.switchboard.routing.LocalCooldowns;
import dev.switchboard.routing.Router;
import dev.switchboard.spend.PriceBook;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.time.ManualScheduler;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A door whose request waits for a store's answer (the rate limiter's, here) and goes on from a
 * container thread: when going on throws, the request must end as {@code service()} ends one
 * (docs/hostile-clients.md#every-exchange-ends), with a fake container and no sockets.
 */
class DoorServletTest {
    private static final String CONFIG = """
            {"providers": {"p": {"type": "openai", "baseUrl": "http://upstream.invalid/v1", "apiKey": "sk-test"}},
             "models": {"m": {"provider": "p"}},
             "tokens": [{"name": "t", "token": "secret-token-1"}]}
            """;
    private static final String REQUEST_ID = "req-door-1";

    private final GatewayConfig config = ConfigParser.parse(CONFIG, Map.of(), "test");
    private final Snapshot snapshot = new Snapshot(config, new Router(config, Map.of()),
            new TokenVerifier(config.tokens(), config.teams()), 0, null, PriceBook.of(config.models()));
    /** The rate limiter's answer, which the test gives when it chooses, as Redis's client thread would. */
    private final CompletableFuture<Decision> admission = new CompletableFuture<>();
    private final ManualScheduler clock = new ManualScheduler();
    private final Gateway gateway = new Gateway(snapshot, clock,
            new Dispatcher(new LocalCooldowns(clock.clock()), clock, new Random(1), (p, outcome) -> { }),
            new RateLimiter() {
                @Override
                public CompletionStage<Decision> acquire(List<Quota> quotas) {
                    return admission;
                }

                @Override
                public void recordTokens(List<Quota> quotas, long tokens) {
                }
            }, new GatewayMetrics());
    private final FakeRequest container = new FakeRequest();
    private final Logger doorLog = Logger.getLogger(DoorServlet.class.getName());
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    DoorServletTest() {
        doorLog.addHandler(handler);
    }

    @AfterEach
    void removeHandler() {
        doorLog.removeHandler(handler);
    }

    /** The request, response and AsyncContext of one request, as a container would keep them. */
    private final class FakeRequest {
        final Map<String, Object> attributes = new HashMap<>();
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean asyncStarted;
        int completions;
        int status;

        final AsyncContext asyncContext = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        // The container runs the task on one of its threads; here, at once.
                        case "start" -> ((Runnable) args[0]).run();
                        case "complete" -> completions++;
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
                written.write(b);
            }
        };

        HttpServletRequest request() {
            attributes.put(BearerAuthFilter.SNAPSHOT_ATTRIBUTE, snapshot);
            attributes.put(BearerAuthFilter.CALLER_ATTRIBUTE, new Caller("t", null));
            attributes.put(RequestIdFilter.ATTRIBUTE, REQUEST_ID);
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getMethod" -> "POST";
                        case "getRequestURI" -> Door.CHAT.path();
                        case "getContextPath" -> "";
                        case "getContentLengthLong" -> 10L;
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> attributes.put((String) args[0], args[1]);
                        case "startAsync" -> {
                            asyncStarted = true;
                            yield asyncContext;
                        }
                        case "getAsyncContext" -> asyncContext;
                        case "isAsyncStarted" -> asyncStarted;
                        // What the exchange's start trips over: a fault the door did not foresee.
                        case "getInputStream" -> throw new IllegalStateException("injected");
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
    }

    @Test
    void aFaultGoingOnAfterTheRateLimitersAnswerIsA500InTheDoorsShape() throws Exception {
        DoorServlet door = DoorServlet.all(gateway).get(Door.CHAT.path());
        door.service(container.request(), container.response());
        assertThat(container.asyncStarted).as("the request waits for the rate limiter").isTrue();
        assertThat(gateway.concurrency().inFlight()).as("its place in flight is held while it waits").isEqualTo(1);

        admission.complete(Decision.UNLIMITED);

        assertThat(container.status).isEqualTo(500);
        assertThat(container.written.toString(StandardCharsets.UTF_8))
                .contains("\"code\":\"internal_error\"").doesNotContain("injected");
        assertThat(container.completions).as("the container heard the end once").isEqualTo(1);
        assertThat(gateway.concurrency().inFlight()).as("places taken under the caps").isZero();
        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(record.getMessage()).contains(REQUEST_ID);
            assertThat(record.getThrown()).hasMessage("injected");
        });
    }
}
