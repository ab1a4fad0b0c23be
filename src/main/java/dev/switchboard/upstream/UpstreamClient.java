package dev.switchboard.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The one HTTP client every connector shares: Apache HttpClient 5's async client, with a
 * connection pool sized for thousands of concurrent streams. Shared and thread-safe; created when
 * the application starts and closed when it stops.
 *
 * <p>It relays bytes, so transparent decompression is off (HttpClient 5.6 would otherwise inflate
 * gzip bodies), and redirects, retries, cookies and auth caching are off too: routing decides
 * about retries, and a provider API has no business redirecting a POST. Timeouts other than
 * connect are enforced per attempt by the caller, at event granularity, so socket timeouts are
 * disabled here.
 */
public final class UpstreamClient implements AutoCloseable {
    /** Bytes the upstream may send ahead of what the client has taken: the per-stream buffer bound. */
    public static final int STREAM_WINDOW_BYTES = 32 * 1024;
    public static final int MAX_CONNECTIONS = 20_000;
    public static final Timeout DEFAULT_CONNECT_TIMEOUT = Timeout.ofSeconds(5);
    static final TimeValue IDLE_EVICTION = TimeValue.ofSeconds(30);

    private final CloseableHttpAsyncClient client;

    public UpstreamClient() {
        this(DEFAULT_CONNECT_TIMEOUT);
    }

    public UpstreamClient(Timeout connectTimeout) {
        PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connectTimeout)
                        .setSocketTimeout(Timeout.DISABLED)
                        .build())
                .build();
        client = HttpAsyncClients.custom()
                .setConnectionManager(connections)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Math.max(1, Runtime.getRuntime().availableProcessors()))
                        .setTcpNoDelay(true)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.DISABLED)
                        .build())
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .evictIdleConnections(IDLE_EVICTION)
                .setUserAgent("Switchboard")
                .build();
        client.start();
    }

    /** Starts the exchange; never blocks. The handler hears about every outcome but our own cancel. */
    public UpstreamCall send(UpstreamRequest request, UpstreamHandler handler) {
        AsyncRequestBuilder builder = AsyncRequestBuilder.post(request.uri())
                .setEntity(AsyncEntityProducers.create(request.body(), ContentType.APPLICATION_JSON));
        for (UpstreamRequest.Header header : request.headers()) {
            builder.addHeader(header.name(), header.value());
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(RequestConfig.custom()
                .setConnectTimeout(Timeout.ofMilliseconds(request.connectTimeoutMs()))
                .setResponseTimeout(Timeout.DISABLED)
                .build());
        Relay relay = new Relay(handler);
        relay.future = client.execute(builder.build(), relay, null, context, relay);
        if (relay.cancelRequested) {
            relay.future.cancel(true);
        }
        return relay;
    }

    /** Graceful: lets in-flight exchanges finish for up to {@code grace}, then closes the rest. */
    public void close(TimeValue grace) {
        client.initiateShutdown();
        try {
            client.awaitShutdown(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close(CloseMode.IMMEDIATE);
    }

    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
    }

    static UpstreamFailure classify(Exception cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        UpstreamFailure.Kind kind;
        if (cause instanceof ConnectTimeoutException) {
            kind = UpstreamFailure.Kind.CONNECT_TIMEOUT;
        } else if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            kind = UpstreamFailure.Kind.CONNECT_REFUSED;
        } else if (cause instanceof UnknownHostException) {
            kind = UpstreamFailure.Kind.UNKNOWN_HOST;
        } else if (cause instanceof SSLException) {
            kind = UpstreamFailure.Kind.TLS;
        } else if (cause instanceof SocketTimeoutException) {
            kind = UpstreamFailure.Kind.TIMEOUT;
        } else if (cause instanceof ConnectionClosedException || cause instanceof SocketException
                || cause instanceof IOException && detail.contains("closed")) {
            kind = UpstreamFailure.Kind.CLOSED;
        } else {
            kind = UpstreamFailure.Kind.OTHER;
        }
        return new UpstreamFailure(kind, detail);
    }

    /**
     * Consumer of one response, relaying it to the handler with flow control: every byte handed
     * over is owed back to the connection's receive window, and is given back only while the
     * handler says it has room. Per exchange.
     */
    /** Thrown into HttpClient to abort an exchange we cancelled; no stack trace, it is not a fault. */
    private static final IOException CANCELLED = new IOException("cancelled by Switchboard", null) {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private static final class Relay implements AsyncResponseConsumer<Void>, FutureCallback<Void>, UpstreamCall {
        private final UpstreamHandler handler;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final AtomicLong owed = new AtomicLong();
        private volatile CapacityChannel channel;
        private volatile Future<Void> future;
        private volatile boolean cancelRequested;
        private FutureCallback<Void> resultCallback;

        Relay(UpstreamHandler handler) {
            this.handler = handler;
        }

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
                                    FutureCallback<Void> callback) {
            resultCallback = callback;
            handler.onResponse(new Head(response));
            if (entity == null && finished.compareAndSet(false, true)) {
                handler.onEnd();
                callback.completed(null);
            }
        }

        @Override
        public void informationResponse(HttpResponse response, HttpContext context) {
            // 1xx responses carry nothing for us.
        }

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            if (cancelRequested) {
                throw CANCELLED;
            }
            boolean first = channel == null;
            channel = capacityChannel;
            if (first) {
                capacityChannel.update(STREAM_WINDOW_BYTES);
            }
        }

        @Override
        public void consume(ByteBuffer src) throws IOException {
            if (cancelRequested) {
                throw CANCELLED;
            }
            if (finished.get()) {
                src.position(src.limit());
                return;
            }
            // Owed before the handler runs: its room callback may fire on another thread at once.
            owed.addAndGet(src.remaining());
            if (handler.onData(src)) {
                grantOwed();
            }
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) {
            if (finished.compareAndSet(false, true)) {
                handler.onEnd();
                if (resultCallback != null) {
                    resultCallback.completed(null);
                }
            }
        }

        @Override
        public void failed(Exception cause) {
            if (finished.compareAndSet(false, true) && !cancelRequested) {
                handler.onFailure(classify(cause));
            }
        }

        @Override
        public void releaseResources() {
            channel = null;
        }

        @Override
        public void completed(Void result) {
        }

        @Override
        public void cancelled() {
            finished.set(true);
        }

        @Override
        public void resume() {
            grantOwed();
        }

        private void grantOwed() {
            CapacityChannel current = channel;
            long bytes = owed.getAndSet(0);
            if (bytes > 0 && current != null) {
                try {
                    current.update((int) Math.min(bytes, Integer.MAX_VALUE));
                } catch (IOException e) {
                    failed(e);
                }
            }
        }

        /**
         * Cancelling the future is not always enough: HttpClient 5 only hard-cancels an exchange
         * whose connection was already established when it started, and otherwise lets the
         * response run on. So the next I/O event on this exchange also fails it from inside
         * (a consumer that throws makes the client discard the connection), and reading is
         * re-enabled so that this next event comes even if the stream was paused.
         */
        @Override
        public void cancel() {
            cancelRequested = true;
            finished.set(true);
            Future<Void> current = future;
            if (current != null) {
                current.cancel(true);
            }
            CapacityChannel paused = channel;
            if (paused != null) {
                try {
                    paused.update(STREAM_WINDOW_BYTES);
                } catch (IOException | RuntimeException e) {
                    // The connection is already gone, which is what we wanted.
                }
            }
        }
    }

    private record Head(HttpResponse response) implements UpstreamResponse {
        @Override
        public int status() {
            return response.getCode();
        }

        @Override
        public String header(String name) {
            Header header = response.getFirstHeader(name);
            return header == null ? null : header.getValue();
        }
    }
}
