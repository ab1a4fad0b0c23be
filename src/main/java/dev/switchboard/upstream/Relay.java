package dev.switchboard.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer of one response, relaying it to the handler with flow control: every byte handed
 * over is owed back to the connection's receive window, and is given back only while the
 * handler says it has room. Per exchange.
 *
 * <p>Its state decides who ends the exchange: the response ({@link #streamEnd}), a failure, or
 * our {@link #cancel()}; exactly one of them wins the transition from ACTIVE.
 */
final class Relay implements AsyncResponseConsumer<Void>, FutureCallback<Void>, UpstreamCall {
    /** Thrown into HttpClient to abort an exchange we cancelled; no stack trace, it is not a fault. */
    static final IOException CANCELLED_BY_US = new IOException("cancelled by Switchboard", null) {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private static final int ACTIVE = 0;
    private static final int DONE = 1;
    private static final int CANCELLED = 2;

    private final UpstreamHandler handler;
    private final AtomicInteger state = new AtomicInteger(ACTIVE);
    private final AtomicLong owed = new AtomicLong();
    private final AtomicBoolean handlerFailed = new AtomicBoolean();
    private volatile CapacityChannel channel;
    volatile Future<Void> future;
    private volatile IOSession session;
    private FutureCallback<Void> resultCallback;

    Relay(UpstreamHandler handler) {
        this.handler = handler;
    }

    boolean isCancelled() {
        return state.get() == CANCELLED;
    }

    /** The connection our request went out on, learned as it is written. */
    void sentOn(IOSession ioSession) {
        session = ioSession;
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
                                FutureCallback<Void> callback) throws IOException {
        if (isCancelled()) {
            throw CANCELLED_BY_US;
        }
        resultCallback = callback;
        try {
            handler.onResponse(new UpstreamClient.UpstreamHead(response));
            if (entity == null && state.compareAndSet(ACTIVE, DONE)) {
                handler.onEnd();
                callback.completed(null);
            }
        } catch (Throwable e) {
            throw handlerFailed(e);
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx responses carry nothing for us.
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        if (isCancelled()) {
            throw CANCELLED_BY_US;
        }
        boolean first = channel == null;
        channel = capacityChannel;
        if (first) {
            capacityChannel.update(UpstreamClient.STREAM_WINDOW_BYTES);
        }
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        if (state.get() != ACTIVE) {
            // Failing the exchange from inside makes the client discard the connection.
            throw CANCELLED_BY_US;
        }
        // Owed before the handler runs: its room callback may fire on another thread at once.
        owed.addAndGet(src.remaining());
        boolean more;
        try {
            more = handler.onData(src);
        } catch (Throwable e) {
            throw handlerFailed(e);
        }
        if (more) {
            grantOwed();
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws IOException {
        if (!state.compareAndSet(ACTIVE, DONE)) {
            // Cancelled while the last bytes arrived: keep this connection out of the pool,
            // since our cancel may be about to close it.
            throw CANCELLED_BY_US;
        }
        try {
            handler.onEnd();
        } catch (Throwable e) {
            throw handlerFailed(e);
        }
        if (resultCallback != null) {
            resultCallback.completed(null);
        }
    }

    /**
     * The handler threw, an {@link Error} included: left to unwind, it would end the I/O
     * reactor's thread and every connection it serves with it (HttpCore rethrows Errors), so
     * the handler hears of a failure instead, and the exchange is aborted so that its
     * connection is discarded (docs/hostile-clients.md#every-exchange-ends).
     *
     * @return the exception to throw into HttpClient
     */
    IOException handlerFailed(Throwable cause) {
        try {
            LOG.error("an upstream response handler failed", cause);
            // Also after the end was decided (its onEnd threw), but not once we cancelled: the
            // handler stopped the exchange itself then.
            if (handlerFailed.compareAndSet(false, true) && (state.compareAndSet(ACTIVE, DONE) || state.get() == DONE)) {
                handler.onFailure(new UpstreamFailure(UpstreamFailure.Kind.OTHER, "the response handler failed"));
            }
        } catch (Throwable again) {
            // Nothing more to tell it; the exchange's own watchdog ends what is left.
        }
        return CANCELLED_BY_US;
    }

    @Override
    public void failed(Exception cause) {
        if (state.compareAndSet(ACTIVE, DONE)) {
            try {
                handler.onFailure(UpstreamClient.classify(cause));
            } catch (Throwable e) {
                LOG.error("an upstream response handler failed", e);
            }
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
     * Cancelling the future is not enough on its own: HttpClient 5.6 can lose the exchange's
     * cancellable when a new connection is established fast (the connect step's cancellable
     * replaces it), and Future.cancel then does nothing. So the connection our request went
     * out on is closed as well. That is safe because the state says the exchange is still
     * ours (its connection has not gone back to the pool) and because connections carry one
     * exchange at a time (HTTP/1.1 only).
     */
    @Override
    public void cancel() {
        if (!state.compareAndSet(ACTIVE, CANCELLED)) {
            return;
        }
        Future<Void> current = future;
        if (current != null) {
            current.cancel(true);
        }
        IOSession connection = session;
        if (connection != null) {
            connection.close(CloseMode.IMMEDIATE);
        }
    }
}

