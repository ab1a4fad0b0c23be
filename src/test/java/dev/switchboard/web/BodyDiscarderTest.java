package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.RequestLimits;
import dev.switchboard.time.ManualScheduler;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An exchange answered before its body was read ends without waiting for the body beyond its cap
 * and deadline, and reads nothing a client has not been asked to send. A fake request and stream;
 * the timer is manual.
 */
class BodyDiscarderTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final AtomicInteger completions = new AtomicInteger();
    private final AtomicInteger asyncStarts = new AtomicInteger();
    private final FakeStream in = new FakeStream();
    private final Map<String, String> headers = new HashMap<>(Map.of("content-length", "100000000"));
    private final Map<String, Object> attributes = new HashMap<>();
    private final GatewayConfig config = new GatewayConfig(Map.of(), Map.of(), Map.of(), List.of(), Map.of(), 1_000_000,
            false, 0, null, "test", List.of(), null, new RequestLimits(3_000, 2_000, 100, 5_000, 0));

    /** A body stream whose bytes the test hands out: {@code available} bytes are ready at a time. */
    static final class FakeStream extends ServletInputStream {
        ReadListener listener;
        int available;
        long read;
        boolean finished;

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return available > 0 || finished;
        }

        @Override
        public void setReadListener(ReadListener readListener) {
            listener = readListener;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (available == 0) {
                return finished ? -1 : 0;
            }
            int n = Math.min(len, available);
            available -= n;
            read += n;
            return n;
        }

        void arrive(int bytes) throws Exception {
            available += bytes;
            listener.onDataAvailable();
        }
    }

    private HttpServletRequest request() {
        AsyncContext asyncContext = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("complete")) {
                        completions.incrementAndGet();
                    }
                    return null;
                });
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "startAsync" -> {
                        asyncStarts.incrementAndGet();
                        yield asyncContext;
                    }
                    case "getHeader" -> headers.get(((String) args[0]).toLowerCase(java.util.Locale.ROOT));
                    case "getContentLengthLong" -> headers.containsKey("content-length")
                            ? Long.parseLong(headers.get("content-length")) : -1L;
                    case "getInputStream" -> in;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    default -> null;
                });
    }

    private static HttpServletResponse response() {
        return (HttpServletResponse) Proxy.newProxyInstance(BodyDiscarderTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> null);
    }

    private void end() {
        BodyDiscarder.endAfterAnswer(request(), response(), null, config, scheduler);
    }

    @Test
    void anUnauthenticatedBodyIsReadOnlyUpToTheSmallCap() throws Exception {
        end();
        assertThat(asyncStarts).hasValue(1);
        in.arrive(40_000);
        assertThat(completions).hasValue(0);
        in.arrive(40_000);
        assertThat(completions).hasValue(1);
        assertThat(in.read).isLessThanOrEqualTo(BodyDiscarder.UNAUTHENTICATED_MAX_BYTES + 40_000);
    }

    @Test
    void anUnauthenticatedTrickleEndsAtTheShortDeadline() throws Exception {
        end();
        in.arrive(1);
        scheduler.advance(BodyDiscarder.UNAUTHENTICATED_MAX_MILLIS - 1, TimeUnit.MILLISECONDS);
        assertThat(completions).hasValue(0);
        scheduler.advance(1, TimeUnit.MILLISECONDS);
        assertThat(completions).hasValue(1);
    }

    @Test
    void anAuthenticatedBodyAtFullSpeedIsReadUpToTheRequestLimitSoTheClientReadsItsAnswer() throws Exception {
        attributes.put(BearerAuthFilter.CALLER_ATTRIBUTE, "caller");
        end();
        for (int i = 0; i < 9; i++) {
            in.arrive(100_000);
            scheduler.advance(100, TimeUnit.MILLISECONDS);
        }
        assertThat(completions).hasValue(0);
        in.arrive(200_000);
        assertThat(completions).hasValue(1);
    }

    @Test
    void anAuthenticatedTrickleEndsWithTheBodyPace() throws Exception {
        attributes.put(BearerAuthFilter.CALLER_ATTRIBUTE, "caller");
        end();
        for (int second = 0; second < 2; second++) {
            in.arrive(1);
            scheduler.advance(1, TimeUnit.SECONDS);
        }
        assertThat(completions).hasValue(0);
        scheduler.advance(1, TimeUnit.SECONDS);
        assertThat(completions).hasValue(1);
    }

    @Test
    void aBodyThatEndsEndsTheExchangeOnce() throws Exception {
        end();
        in.available = 10;
        in.finished = true;
        in.listener.onDataAvailable();
        in.listener.onAllDataRead();
        scheduler.advance(1, TimeUnit.MINUTES);
        assertThat(completions).hasValue(1);
    }

    @Test
    void aClientWaitingFor100ContinueIsNotAskedForItsBody() {
        headers.put("expect", "100-continue");
        end();
        assertThat(completions).hasValue(1);
        assertThat(in.listener).isNull();
    }

    @Test
    void noBodyNoWait() {
        headers.remove("content-length");
        end();
        assertThat(completions).hasValue(1);
        assertThat(in.listener).isNull();
    }
}
