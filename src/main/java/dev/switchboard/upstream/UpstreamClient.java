package dev.switchboard.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.IOSessionListener;
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
    /**
     * Each upstream connection's input, output and content buffers. HttpCore's default is 32 KiB
     * each, 96 KiB per connection: at thousands of live streams that was most of the heap (a heap
     * dump of 1,000 streams), while SSE events (a few hundred bytes) and request bodies move fine
     * through 2 KiB pieces.
     */
    static final int CONNECTION_BUFFER_BYTES = 2 * 1024;
    public static final Timeout DEFAULT_CONNECT_TIMEOUT = Timeout.ofSeconds(5);
    static final TimeValue IDLE_EVICTION = TimeValue.ofSeconds(30);

    /** More distinct connect timeouts than a configuration has providers; a full cache starts over. */
    static final int MAX_REQUEST_CONFIGS = 64;

    private final CloseableHttpAsyncClient client;
    /** Immutable request configurations, by connect timeout in milliseconds. */
    private final ConcurrentHashMap<Long, RequestConfig> requestConfigs = new ConcurrentHashMap<>();

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
                // One exchange per connection, so that cancelling an exchange may close its
                // connection (see Relay#cancel); HTTP/2 would share it with other streams.
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                .build();
        client = HttpAsyncClients.custom()
                .setConnectionManager(connections)
                .setIOSessionListener(SessionTracker.INSTANCE)
                .setIoSessionDecorator(EndDeferringSession::new)
                .setHttp1Config(Http1Config.custom().setBufferSize(CONNECTION_BUFFER_BYTES).build())
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
                // No proxy, no credentials, no challenge to answer: the protocol step without
                // authentication (docs/architecture.md#the-upstream-client).
                .replaceExecInterceptor(ChainElement.PROTOCOL.name(), DirectProtocolExec.INSTANCE)
                .evictIdleConnections(IDLE_EVICTION)
                .setUserAgent("Switchboard")
                .build();
        client.start();
    }

    /** Starts the exchange; never blocks. The handler hears about every outcome but our own cancel. */
    public UpstreamCall send(UpstreamRequest request, UpstreamHandler handler) {
        Relay relay = new Relay(handler);
        // The request and its producer directly, without AsyncRequestBuilder's copies: this runs on
        // the container thread of every request (bench/results/NOTES.md, "Request side").
        BasicHttpRequest upstreamRequest = new BasicHttpRequest(Method.POST, request.uri());
        for (UpstreamRequest.Header header : request.headers()) {
            upstreamRequest.addHeader(header.name(), header.value());
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfig(request.connectTimeoutMs()));
        relay.future = client.execute(new BasicRequestProducer(upstreamRequest, new TrackingEntityProducer(
                AsyncEntityProducers.create(request.body(), ContentType.APPLICATION_JSON), relay)),
                relay, null, context, relay);
        if (relay.isCancelled()) {
            relay.future.cancel(true);
        }
        return relay;
    }

    /** The request configuration of a connect timeout: one per provider's timeout, built once. */
    private RequestConfig requestConfig(long connectTimeoutMs) {
        RequestConfig config = requestConfigs.get(connectTimeoutMs);
        if (config == null) {
            config = RequestConfig.custom()
                    .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                    .setResponseTimeout(Timeout.DISABLED)
                    .build();
            if (requestConfigs.size() >= MAX_REQUEST_CONFIGS) {
                requestConfigs.clear();
            }
            requestConfigs.put(connectTimeoutMs, config);
        }
        return config;
    }

    /**
     * Fetches a small document with {@code GET} (a JWK set, an OpenID discovery document): its
     * body, or a failed stage for a status other than 200, a body over {@code maxBytes}, or no
     * answer within {@code timeout}. Never blocks; completes on an I/O thread. TLS is verified
     * against the platform's trust store with hostname checking, as for every upstream.
     */
    public CompletableFuture<byte[]> get(URI uri, int maxBytes, Timeout timeout) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(RequestConfig.custom().setConnectTimeout(timeout).setResponseTimeout(timeout).build());
        client.execute(AsyncRequestBuilder.get(uri).addHeader("Accept", "application/json").build(),
                new BoundedBodyConsumer(maxBytes), null, context, new FutureCallback<byte[]>() {
                    @Override
                    public void completed(byte[] body) {
                        result.complete(body);
                    }

                    @Override
                    public void failed(Exception cause) {
                        result.completeExceptionally(cause);
                    }

                    @Override
                    public void cancelled() {
                        result.cancel(false);
                    }
                });
        return result;
    }

    /**
     * Graceful: lets in-flight exchanges finish for up to {@code grace}, then closes the rest and
     * waits (up to {@link #THREADS_EXIT}) for the I/O threads to end, so that none outlives the
     * application that started it.
     */
    public void close(Duration grace) {
        client.initiateShutdown();
        try {
            client.awaitShutdown(TimeValue.ofMilliseconds(grace.toMillis()));
            client.close(CloseMode.IMMEDIATE);
            client.awaitShutdown(THREADS_EXIT);
            awaitEvictorExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close(CloseMode.IMMEDIATE);
        }
    }

    /** The name HttpClient 5 gives its idle-connection evictor's thread. */
    static final String EVICTOR_THREAD = "idle-connection-evictor";

    /**
     * Waits for this client's idle-connection evictor to end: closing the client only interrupts
     * it, and a container that looks for the application's threads right after the undeploy
     * (Tomcat's leak detection) would find it still sleeping out its interrupt.
     */
    private static void awaitEvictorExit() throws InterruptedException {
        ClassLoader ours = UpstreamClient.class.getClassLoader();
        long deadline = System.nanoTime() + THREADS_EXIT.toNanoseconds();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(EVICTOR_THREAD) && thread.getContextClassLoader() == ours) {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
    }

    /** How long closing waits for the I/O threads to end once their connections are closed. */
    static final TimeValue THREADS_EXIT = TimeValue.ofSeconds(2);

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
     * Wraps the request body to learn which connection the request is written to: the body is
     * produced on the I/O thread serving that connection, which {@link SessionTracker} has just
     * told which session it is handling. Per exchange.
     */
    private static final class TrackingEntityProducer implements AsyncEntityProducer {
        private final AsyncEntityProducer delegate;
        private final Relay relay;

        TrackingEntityProducer(AsyncEntityProducer delegate, Relay relay) {
            this.delegate = delegate;
            this.relay = relay;
        }

        @Override
        public void produce(DataStreamChannel channel) throws IOException {
            if (relay.isCancelled()) {
                throw Relay.CANCELLED_BY_US;
            }
            relay.sentOn(SessionTracker.CURRENT.get());
            delegate.produce(channel);
        }

        @Override
        public boolean isRepeatable() {
            return delegate.isRepeatable();
        }

        @Override
        public void failed(Exception cause) {
            delegate.failed(cause);
        }

        @Override
        public long getContentLength() {
            return delegate.getContentLength();
        }

        @Override
        public String getContentType() {
            return delegate.getContentType();
        }

        @Override
        public String getContentEncoding() {
            return delegate.getContentEncoding();
        }

        @Override
        public boolean isChunked() {
            return delegate.isChunked();
        }

        @Override
        public Set<String> getTrailerNames() {
            return delegate.getTrailerNames();
        }

        @Override
        public int available() {
            return delegate.available();
        }

        @Override
        public void releaseResources() {
            delegate.releaseResources();
        }
    }

    /**
     * Remembers, per I/O thread, the session whose event it is handling, and marks the start of an
     * input event for {@link EndDeferringSession}: the reactor tells the listener just before it
     * calls the session's handler, on the same thread. Shared.
     */
    private static final class SessionTracker implements IOSessionListener {
        static final SessionTracker INSTANCE = new SessionTracker();
        static final ThreadLocal<IOSession> CURRENT = new ThreadLocal<>();

        @Override
        public void connected(IOSession session) {
            CURRENT.set(session);
        }

        @Override
        public void inputReady(IOSession session) {
            CURRENT.set(session);
            if (session instanceof EndDeferringSession deferring) {
                deferring.inputEvent();
            }
        }

        @Override
        public void outputReady(IOSession session) {
            CURRENT.set(session);
        }

        @Override
        public void startTls(IOSession session) {
        }

        @Override
        public void timeout(IOSession session) {
        }

        @Override
        public void exception(IOSession session, Exception ex) {
        }

        @Override
        public void disconnected(IOSession session) {
        }
    }

    record UpstreamHead(HttpResponse response) implements UpstreamResponse {
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
