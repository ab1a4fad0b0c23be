package dev.switchboard.web;

import dev.switchboard.sse.SseEncoder;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single owner of one response's output stream. Producers on any thread {@link #offer} the
 * head, byte blocks and the end into a queue and call {@link #drain()}; draining runs on one
 * thread at a time (a work-in-progress counter: producers never wait for each other), writes only
 * after {@code isReady()} says so, and otherwise leaves the rest to {@link #onWritePossible()}
 * (Jakarta Servlet 6.0 §5.7). The queue is bounded in bytes by the producers, who check
 * {@link #hasRoom()} and wait for {@link #whenRoom}: that is how a slow client slows the upstream.
 *
 * <p>Every call on the response, its stream and the AsyncContext happens inside {@link #gate},
 * and once the response has ended (completed here, or ended by the container's error, timeout or
 * completion callback) nothing touches it again. The container's callbacks take the same gate
 * before they return, so a write still running on an upstream or timer thread finishes before the
 * container goes on to recycle the request for another connection: Tomcat does not wait for it
 * (docs/tomcat-async-write-race.md). A failed write completes the AsyncContext at once, on
 * whichever thread saw it fail. Per request.
 */
final class ClientResponseWriter implements WriteListener, ResponseOutput {
    private static final Logger LOG = LoggerFactory.getLogger(ClientResponseWriter.class);
    /** Above this many queued bytes, producers must pause. */
    static final long HIGH_WATER_BYTES = 64 * 1024;
    /** Producers are resumed once the queue has drained to this. */
    static final long LOW_WATER_BYTES = 16 * 1024;

    private static final Object END = new Object();

    private final AsyncContext asyncContext;
    private final HttpServletResponse clientResponse;
    private final ServletOutputStream out;
    private final Runnable onClientGone;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger workInProgress = new AtomicInteger();
    private final AtomicReference<Runnable> roomListener = new AtomicReference<>();
    /**
     * Held around every call on the response, by the draining thread for one batch of
     * non-blocking writes and by the container's callbacks that end the response.
     */
    private final Object gate = new Object();
    /** Set inside the gate when the response ends; read outside it only to skip work. */
    private volatile boolean ended;
    /** The clock of the write times: the timer's, which the keep-alives compare them with. */
    private final LongSupplier clock;
    private volatile long lastWriteNanos;
    /** Written only inside the gate. */
    private volatile long dataWrites;
    /** While set, the end waits after everything before it has been written. */
    private volatile boolean endHeld;

    // Touched only inside the gate.
    private boolean needsFlush;

    ClientResponseWriter(AsyncContext asyncContext, HttpServletResponse clientResponse, ServletOutputStream out,
                         Runnable onClientGone) {
        this(asyncContext, clientResponse, out, onClientGone, System::nanoTime);
    }

    ClientResponseWriter(AsyncContext asyncContext, HttpServletResponse clientResponse, ServletOutputStream out,
                         Runnable onClientGone, LongSupplier clock) {
        this.clock = clock;
        this.lastWriteNanos = clock.getAsLong();
        this.asyncContext = asyncContext;
        this.clientResponse = clientResponse;
        this.out = out;
        this.onClientGone = onClientGone;
    }

    @Override
    public void offer(ResponseHead head) {
        queue.offer(head);
    }

    @Override
    public void offer(byte[] bytes) {
        queuedBytes.addAndGet(bytes.length);
        queue.offer(bytes);
    }

    /** After everything offered so far is written, completes the response. */
    @Override
    public void offerEnd() {
        queue.offer(END);
    }

    /** Keeps the response from ending, once written, until {@link #releaseEnd}. */
    void holdEnd() {
        endHeld = true;
    }

    void releaseEnd() {
        endHeld = false;
        drain();
    }

    boolean hasRoom() {
        return queuedBytes.get() < HIGH_WATER_BYTES;
    }

    /** Runs {@code resume} once the queue is down to the low-water mark (perhaps at once, on this thread). */
    void whenRoom(Runnable resume) {
        roomListener.set(resume);
        if (queuedBytes.get() <= LOW_WATER_BYTES) {
            fireRoom();
        }
    }

    long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** Blocks written other than keep-alives: the watchdog's sign that the client is taking the response. */
    long dataWrites() {
        return dataWrites;
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    /** The container reports the client gone (a container thread): complete here, as the spec expects. */
    @Override
    public void onError(Throwable t) {
        abort();
        onClientGone.run();
    }

    void drain() {
        if (workInProgress.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            boolean failed;
            synchronized (gate) {
                failed = writeQueued();
            }
            try {
                if (failed) {
                    onClientGone.run();
                } else if (queuedBytes.get() <= LOW_WATER_BYTES) {
                    // Outside the gate: resuming runs the producer, which offers and drains again.
                    fireRoom();
                }
            } catch (Throwable e) {
                // Whatever the producer's resumption threw is its own to report; this loop must
                // still count down, or no later drain would ever write again.
                LOG.error("resuming a response's producer failed", e);
            }
            missed = workInProgress.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Writes what the stream takes now; true if a write failed (the response has then ended). Inside the gate. */
    private boolean writeQueued() {
        if (ended) {
            discardQueue();
            return false;
        }
        try {
            Object item;
            while ((item = queue.peek()) != null) {
                if (item instanceof ResponseHead head) {
                    queue.poll();
                    apply(head);
                    continue;
                }
                if (!out.isReady()) {
                    return false;
                }
                if (item == END) {
                    if (needsFlush) {
                        needsFlush = false;
                        out.flush();
                        if (!out.isReady()) {
                            return false;
                        }
                    }
                    if (endHeld) {
                        return false;
                    }
                    queue.poll();
                    end();
                    return false;
                }
                byte[] bytes = (byte[]) queue.poll();
                out.write(bytes);
                needsFlush = true;
                lastWriteNanos = clock.getAsLong();
                if (bytes != SseEncoder.KEEP_ALIVE) {
                    dataWrites++;
                }
                queuedBytes.addAndGet(-bytes.length);
            }
            // Flush once per batch rather than per event: each event still leaves as soon as it was
            // queued, but a burst goes out in one packet.
            if (needsFlush && out.isReady()) {
                needsFlush = false;
                out.flush();
            }
            return false;
        } catch (IOException | IllegalStateException e) {
            // The client is gone (or the container has closed the response). Tomcat has marked the
            // request as failed; completing now, inside the gate, means that whatever error
            // callback the container runs next finds the response ended and waits for nothing.
            end();
            return true;
        } catch (RuntimeException | Error e) {
            // A fault of our own or the JVM's (OutOfMemoryError) while writing: the response cannot
            // be trusted to go on, so it ends here, which frees the exchange and its upstream
            // (docs/hostile-clients.md#every-exchange-ends).
            LOG.error("writing a response failed; the response is ended", e);
            end();
            return true;
        }
    }

    private void apply(ResponseHead head) {
        clientResponse.setStatus(head.status());
        clientResponse.setContentType(head.contentType());
        if (head.contentLength() >= 0) {
            clientResponse.setContentLengthLong(head.contentLength());
        }
        for (HeaderField header : head.headers()) {
            clientResponse.setHeader(header.name(), header.value());
        }
    }

    private void fireRoom() {
        Runnable resume = roomListener.getAndSet(null);
        if (resume != null) {
            resume.run();
        }
    }

    /**
     * Ends the response without writing what is still queued; for a client that is gone. Called
     * by the container's error callbacks: waits for a write in progress on another thread, so
     * that the container recycles nothing while that thread is still inside it.
     */
    void abort() {
        synchronized (gate) {
            end();
        }
    }

    /**
     * Writes what the stream takes now and then ends the response, queued or not; for the
     * container's timeout callback, which must leave the response ended when it returns.
     */
    void finish() {
        synchronized (gate) {
            writeQueued();
            end();
        }
    }

    /**
     * The container has completed the response (its onComplete callback). Every path to that
     * callback passes through {@link #end()} or the error and timeout callbacks first, so no write
     * can be in progress; this only makes sure none starts. Takes no lock: Tomcat calls onComplete
     * while holding the request's async state lock, which a writing thread may need.
     */
    void completed() {
        ended = true;
        roomListener.set(null);
    }

    /** Completes the AsyncContext once; nothing touches the response afterwards. Inside the gate. */
    private void end() {
        if (ended) {
            discardQueue();
            return;
        }
        ended = true;
        roomListener.set(null);
        discardQueue();
        try {
            asyncContext.complete();
        } catch (IllegalStateException e) {
            // Already completed by the container after an I/O error: nothing left to do.
        }
    }

    private void discardQueue() {
        queue.clear();
        queuedBytes.set(0);
    }
}
