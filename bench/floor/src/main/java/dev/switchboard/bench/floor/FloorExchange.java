package dev.switchboard.bench.floor;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * One relayed exchange of the floor: the client's body read with a {@link ReadListener}, one
 * HttpClient 5 call, the upstream's answer written back through a {@link WriteListener} (Jakarta
 * Servlet 6.0 §5.7). A non-streaming answer is collected whole and written with its length; an
 * event stream is written as each upstream read arrives, and the upstream may send at most
 * {@link #WINDOW_BYTES} ahead of what the client has taken: bytes are granted back to the
 * upstream connection only once written and flushed. An async timeout bounds every exchange.
 * Per request.
 *
 * <p>Threads: the container calls the listeners, the HttpClient I/O thread the consumer. Every
 * touch of the response happens under this object's lock and only while the exchange is not
 * finished, so that nothing writes to a response the container has completed or failed (and may
 * have recycled for another request). Tomcat fires these listeners without holding a lock that
 * a write from another thread needs, so the lock cannot deadlock with it.
 */
final class FloorExchange implements ReadListener, WriteListener, AsyncListener,
        AsyncResponseConsumer<Void>, FutureCallback<Void> {
    /** Longer than any benchmark stream (the mock trickles for 60 s). */
    static final long ASYNC_TIMEOUT_MS = 120_000;
    static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    /** Upstream bytes in flight ahead of the client, per stream. */
    static final int WINDOW_BYTES = 32 * 1024;
    private static final String UPSTREAM_AUTHORIZATION = "Bearer mock-key";
    private static final String EVENT_STREAM = "text/event-stream";
    /** Thrown into HttpClient to abort an exchange whose client is gone; no stack trace, it is no fault. */
    private static final IOException CLIENT_GONE = new IOException("client gone") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private final CloseableHttpAsyncClient client;
    private final HttpHost upstream;
    private final AsyncContext async;
    private final HttpServletRequest clientRequest;
    private final HttpServletResponse clientResponse;
    private final ServletInputStream in;
    private final ServletOutputStream out;

    // The request body; touched only by the container's read callbacks, one at a time.
    private byte[] requestBody;
    private int requestLength;

    private volatile Future<Void> upstreamCall;
    private volatile CapacityChannel capacity;
    private FutureCallback<Void> resultCallback;

    // Guarded by this.
    private boolean streaming;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private boolean needsFlush;
    private int owed;
    private boolean upstreamEnded;
    private boolean finished;

    FloorExchange(CloseableHttpAsyncClient client, HttpHost upstream, AsyncContext async,
                  HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        this.client = client;
        this.upstream = upstream;
        this.async = async;
        this.clientRequest = clientRequest;
        this.clientResponse = clientResponse;
        this.in = clientRequest.getInputStream();
        this.out = clientResponse.getOutputStream();
        long declared = clientRequest.getContentLengthLong();
        this.requestBody = new byte[declared > 0 && declared <= MAX_BODY_BYTES ? (int) declared : 1024];
    }

    /** On the container thread that started async processing. */
    void start() {
        async.setTimeout(ASYNC_TIMEOUT_MS);
        async.addListener(this);
        in.setReadListener(this);
        out.setWriteListener(this);
    }

    // ---- client request ------------------------------------------------------------------------

    @Override
    public void onDataAvailable() throws IOException {
        int n;
        while (in.isReady() && (n = in.read(requestBody, requestLength, requestBody.length - requestLength)) >= 0) {
            requestLength += n;
            if (requestLength == requestBody.length) {
                if (requestLength >= MAX_BODY_BYTES) {
                    fail(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                    return;
                }
                requestBody = Arrays.copyOf(requestBody, Math.min(MAX_BODY_BYTES, 2 * requestBody.length));
            }
        }
    }

    @Override
    public void onAllDataRead() {
        byte[] body = requestLength == requestBody.length ? requestBody : Arrays.copyOf(requestBody, requestLength);
        requestBody = null;
        upstreamCall = client.execute(AsyncRequestBuilder.post()
                .setHttpHost(upstream)
                .setPath(clientRequest.getRequestURI())
                .addHeader(HttpHeaders.AUTHORIZATION, UPSTREAM_AUTHORIZATION)
                .setEntity(AsyncEntityProducers.create(body, ContentType.APPLICATION_JSON))
                .build(), this, this);
    }

    // ---- upstream response (HttpClient I/O thread) ---------------------------------------------

    @Override
    public void consumeResponse(HttpResponse upstreamResponse, EntityDetails entity, HttpContext context,
                                FutureCallback<Void> callback) throws IOException {
        resultCallback = callback;
        synchronized (this) {
            if (finished) {
                throw CLIENT_GONE;
            }
            clientResponse.setStatus(upstreamResponse.getCode());
            String contentType = entity == null ? null : entity.getContentType();
            if (contentType != null) {
                clientResponse.setContentType(contentType);
            }
            streaming = contentType != null && contentType.startsWith(EVENT_STREAM);
            if (!streaming && entity != null && entity.getContentLength() > 0) {
                pending = new byte[(int) Math.min(entity.getContentLength(), MAX_BODY_BYTES)];
            }
        }
        if (entity == null) {
            streamEnd(null);
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx: nothing to relay.
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
        boolean first = capacity == null;
        capacity = channel;
        if (first) {
            channel.update(WINDOW_BYTES);
        }
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        int n = src.remaining();
        int grant = 0;
        synchronized (this) {
            if (finished) {
                // Failing the exchange from inside makes HttpClient drop the connection.
                throw CLIENT_GONE;
            }
            if (!streaming) {
                if (pendingLength + n > MAX_BODY_BYTES) {
                    throw new IOException("upstream body over " + MAX_BODY_BYTES + " bytes");
                }
                append(src);
                grant = n;
            } else {
                owed += n;
                try {
                    if (pendingLength == 0 && out.isReady() && src.hasArray()) {
                        out.write(src.array(), src.arrayOffset() + src.position(), n);
                        src.position(src.limit());
                        needsFlush = true;
                    } else {
                        append(src);
                    }
                    if (drain()) {
                        grant = owed;
                        owed = 0;
                    }
                } catch (IOException e) {
                    finished = true;
                    throw CLIENT_GONE;
                }
            }
        }
        grant(grant);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws IOException {
        boolean complete = false;
        synchronized (this) {
            if (finished) {
                throw CLIENT_GONE;
            }
            upstreamEnded = true;
            if (!streaming) {
                clientResponse.setContentLength(pendingLength);
                needsFlush = true;
            }
            try {
                if (drain()) {
                    finished = true;
                    complete = true;
                }
            } catch (IOException e) {
                // The client is gone; the container's error callback completes the exchange.
                finished = true;
            }
        }
        if (resultCallback != null) {
            resultCallback.completed(null);
        }
        if (complete) {
            async.complete();
        }
    }

    /** The upstream call failed (both the consumer and the call's callback hear it). */
    @Override
    public void failed(Exception cause) {
        fail(HttpServletResponse.SC_BAD_GATEWAY);
    }

    @Override
    public void completed(Void result) {
    }

    @Override
    public void cancelled() {
    }

    @Override
    public void releaseResources() {
    }

    // ---- client response -----------------------------------------------------------------------

    @Override
    public void onWritePossible() throws IOException {
        int grant = 0;
        boolean complete = false;
        synchronized (this) {
            if (finished) {
                return;
            }
            try {
                if (!drain()) {
                    return;
                }
            } catch (IOException e) {
                finished = true;
                throw e;
            }
            if (upstreamEnded) {
                finished = true;
                complete = true;
            } else {
                grant = owed;
                owed = 0;
            }
        }
        if (complete) {
            async.complete();
        } else {
            grant(grant);
        }
    }

    /**
     * Gives bytes back to the upstream connection's window. Until HttpClient first asks for
     * capacity it reads within its own initial window, and there is nothing to give back.
     */
    private void grant(int bytes) throws IOException {
        CapacityChannel channel = capacity;
        if (bytes > 0 && channel != null) {
            channel.update(bytes);
        }
    }

    /**
     * Writes and flushes what is pending, as far as the client takes it now; true when all of it
     * left, false when {@link #onWritePossible} will be called to go on. Holds this.
     */
    private boolean drain() throws IOException {
        if (pendingLength > 0) {
            if (!out.isReady()) {
                return false;
            }
            out.write(pending, 0, pendingLength);
            pendingLength = 0;
            needsFlush = true;
        }
        if (needsFlush) {
            if (!out.isReady()) {
                return false;
            }
            out.flush();
            needsFlush = false;
        }
        return out.isReady();
    }

    private void append(ByteBuffer src) {
        int n = src.remaining();
        if (pendingLength + n > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pendingLength + n, 2 * pending.length));
        }
        src.get(pending, pendingLength, n);
        pendingLength += n;
    }

    // ---- endings -------------------------------------------------------------------------------

    /** Ends the exchange with {@code status} if nothing was sent yet, and lets the upstream call go. */
    private void fail(int status) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            if (!clientResponse.isCommitted()) {
                clientResponse.resetBuffer();
                clientResponse.setStatus(status);
                clientResponse.setContentLength(0);
            }
        }
        cancelUpstream();
        async.complete();
    }

    /**
     * The client is gone (the container says so, on its own thread): stop touching the response,
     * release the upstream and complete here, as the container expects of an error callback.
     * A write that failed on the I/O thread only marks the exchange finished and leaves this to
     * the container: completing from there would race the container's own error handling.
     */
    private void clientGone() {
        synchronized (this) {
            finished = true;
        }
        cancelUpstream();
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // The container completed it first.
        }
    }

    private void cancelUpstream() {
        Future<Void> call = upstreamCall;
        if (call != null && !call.isDone()) {
            call.cancel(true);
        }
    }

    @Override
    public void onError(Throwable t) {
        clientGone();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        fail(HttpServletResponse.SC_GATEWAY_TIMEOUT);
    }

    @Override
    public void onError(AsyncEvent event) {
        clientGone();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        synchronized (this) {
            finished = true;
        }
        cancelUpstream();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
