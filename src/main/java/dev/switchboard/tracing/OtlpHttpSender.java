package dev.switchboard.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.SystemDefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends OTLP/HTTP export requests with HttpClient 5's classic (blocking) client, on the exporting
 * thread ({@link ExportThread}'s), which waits for each export anyway; it starts no thread, so
 * nothing of it outlives the exporter's shutdown (docs/operations.md#tracing). Shared: one per
 * exporter, closed by the exporter's shutdown.
 */
final class OtlpHttpSender implements HttpSender {
    /** The statuses the OTLP/HTTP specification says to retry (§ Retryable Response Codes). */
    static final Set<Integer> RETRYABLE_STATUSES = Set.of(429, 502, 503, 504);

    private final CloseableHttpClient client;
    private final URI endpoint;
    private final ContentType contentType;
    private final Compressor compressor;
    private final Supplier<Map<String, List<String>>> headers;
    private final RetryPolicy retryPolicy;
    private final Duration timeout;
    private final long maxResponseBodySize;

    OtlpHttpSender(HttpSenderConfig config) {
        this.endpoint = config.getEndpoint();
        this.contentType = ContentType.parse(config.getContentType());
        this.compressor = config.getCompressor();
        this.headers = config.getHeadersSupplier();
        this.retryPolicy = config.getRetryPolicy();
        this.timeout = config.getTimeout();
        this.maxResponseBodySize = config.getMaxResponseBodySize();
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(config.getConnectTimeout()))
                        .setSocketTimeout(Timeout.of(timeout))
                        .build());
        // The exporter's certificates and TLS versions when the settings name them; the JVM's default otherwise.
        List<String> protocols = config.getEnabledProtocols();
        boolean someProtocols = protocols != null && !protocols.isEmpty();
        if (config.getSslContext() != null || someProtocols) {
            connections.setTlsSocketStrategy(new DefaultClientTlsStrategy(
                    config.getSslContext() != null ? config.getSslContext() : SSLContexts.createSystemDefault(),
                    someProtocols ? protocols.toArray(String[]::new) : null, null, SSLBufferMode.STATIC,
                    HttpsSupport.getDefaultHostnameVerifier()));
        }
        // No idle-connection evictor: it would be a thread. Retries are the exporter's policy, below.
        HttpClientBuilder builder = HttpClients.custom()
                .setConnectionManager(connections.build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement();
        if (config.getProxyOptions() != null) {
            builder.setRoutePlanner(new SystemDefaultRoutePlanner(config.getProxyOptions().getProxySelector()));
        }
        this.client = builder.build();
    }

    @Override
    public void send(MessageWriter messageWriter, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        HttpResponse response;
        try {
            response = sendWithRetries(body(messageWriter));
        } catch (IOException | RuntimeException e) {
            onError.accept(e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            onError.accept(e);
            return;
        }
        onResponse.accept(response);
    }

    private byte[] body(MessageWriter messageWriter) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.max(32, messageWriter.getContentLength()));
        if (compressor == null) {
            messageWriter.writeMessage(body);
        } else {
            try (OutputStream compressed = compressor.compress(body)) {
                messageWriter.writeMessage(compressed);
            }
        }
        return body.toByteArray();
    }

    /**
     * One request, then retries as the exporter's policy says (exponential backoff with jitter, a
     * server's {@code Retry-After} in seconds honoured), all within the exporter's timeout.
     */
    private HttpResponse sendWithRetries(byte[] body) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long timeoutNanos = timeout.toNanos();
        int attempts = retryPolicy == null ? 1 : retryPolicy.getMaxAttempts();
        long backoffNanos = retryPolicy == null ? 0 : retryPolicy.getInitialBackoff().toNanos();
        for (int attempt = 1; ; attempt++) {
            long waitNanos;
            try {
                Answer answer = sendOnce(body);
                if (attempt >= attempts || !RETRYABLE_STATUSES.contains(answer.response().getStatusCode())) {
                    return answer.response();
                }
                waitNanos = answer.retryAfterNanos() >= 0 ? answer.retryAfterNanos() : jittered(backoffNanos);
                if (pastTimeout(start, System.nanoTime(), waitNanos, timeoutNanos)) {
                    return answer.response();
                }
            } catch (IOException e) {
                if (attempt >= attempts || !retryable(e)) {
                    throw e;
                }
                waitNanos = jittered(backoffNanos);
                if (pastTimeout(start, System.nanoTime(), waitNanos, timeoutNanos)) {
                    throw e;
                }
            }
            TimeUnit.NANOSECONDS.sleep(waitNanos);
            backoffNanos = Math.min((long) (backoffNanos * retryPolicy.getBackoffMultiplier()),
                    retryPolicy.getMaxBackoff().toNanos());
        }
    }

    /**
     * Whether waiting {@code waitNanos} more, at {@code nowNanos} of an export that began at
     * {@code startNanos}, would end past its timeout. Compares durations, never instants: the SDK
     * passes an exporter without a timeout ({@code OTEL_EXPORTER_OTLP_TIMEOUT=0}, "no limit") as
     * {@link Long#MAX_VALUE} nanoseconds, and a deadline of start plus that overflows to the past.
     */
    static boolean pastTimeout(long startNanos, long nowNanos, long waitNanos, long timeoutNanos) {
        return waitNanos >= timeoutNanos - (nowNanos - startNanos);
    }

    private boolean retryable(IOException e) {
        if (retryPolicy.getRetryExceptionPredicate() != null) {
            return retryPolicy.getRetryExceptionPredicate().test(e);
        }
        // A refused handshake or certificate does not get better by trying again.
        return !(e instanceof SSLException);
    }

    private static long jittered(long backoffNanos) {
        return (long) (ThreadLocalRandom.current().nextDouble(0.8, 1.2) * backoffNanos);
    }

    /** A response and the delay its {@code Retry-After} asks for, or -1. */
    private record Answer(HttpResponse response, long retryAfterNanos) {
    }

    private Answer sendOnce(byte[] body) throws IOException {
        HttpPost request = new HttpPost(endpoint);
        Map<String, List<String>> extra = headers.get();
        if (extra != null) {
            extra.forEach((name, values) -> values.forEach(value -> request.addHeader(name, value)));
        }
        if (compressor != null) {
            request.addHeader("Content-Encoding", compressor.getEncoding());
        }
        request.setEntity(new ByteArrayEntity(body, contentType));
        return client.execute(request, upstreamResponse -> {
            byte[] responseBody = read(upstreamResponse.getEntity());
            Header retryAfter = upstreamResponse.getFirstHeader("Retry-After");
            return new Answer(new Response(upstreamResponse.getCode(), upstreamResponse.getReasonPhrase(), responseBody),
                    retryAfterNanos(retryAfter == null ? null : retryAfter.getValue()));
        });
    }

    /** The body, which HttpClient has already decompressed when it was gzipped, up to the exporter's limit. */
    private byte[] read(HttpEntity entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        try (InputStream in = entity.getContent()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, maxResponseBodySize + 1));
            if (bytes.length > maxResponseBodySize) {
                throw new IOException("OTLP response body exceeded limit of " + maxResponseBodySize + " bytes");
            }
            return bytes;
        }
    }

    static long retryAfterNanos(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return TimeUnit.SECONDS.toNanos(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException httpDate) {
            return -1;
        }
    }

    /**
     * Closes the connections, ending an export still in flight, which the processor has given up
     * waiting for.
     */
    @Override
    public CompletableResultCode shutdown() {
        client.close(CloseMode.IMMEDIATE);
        return CompletableResultCode.ofSuccess();
    }

    private record Response(int code, String message, byte[] body) implements HttpResponse {
        @Override
        public int getStatusCode() {
            return code;
        }

        @Override
        public String getStatusMessage() {
            return message == null ? "" : message;
        }

        @Override
        public byte[] getResponseBody() {
            return body;
        }
    }
}
