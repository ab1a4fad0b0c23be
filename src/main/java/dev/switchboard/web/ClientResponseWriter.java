package dev.switchboard.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The single owner of one response's output stream. Producers on any thread {@link #offer} the
 * head, byte blocks and the end into a queue and call {@link #drain()}; draining runs on one
 * thread at a time (a work-in-progress counter, no lock held while writing), writes only after
 * {@code isReady()} says so, and otherwise leaves the rest to {@link #onWritePossible()}
 * (Jakarta Servlet 6.0 §5.7). The queue is bounded in bytes by the producers, who check
 * {@link #hasRoom()} and wait for {@link #whenRoom}: that is how a slow client slows the upstream.
 * Per request.
 */
final class ClientResponseWriter implements WriteListener {
    /** Above this many queued bytes, producers must pause. */
    static final long HIGH_WATER_BYTES = 64 * 1024;
    /** Producers are resumed once the queue has drained to this. */
    static final long LOW_WATER_BYTES = 16 * 1024;

    /** Status and headers, applied before the first byte. */
    record Head(int status, String contentType, long contentLength, List<String> headers) {
    }

    private static final Object END = new Object();

    private final AsyncContext asyncContext;
    private final HttpServletResponse clientResponse;
    private final ServletOutputStream out;
    private final Runnable onClientGone;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger workInProgress = new AtomicInteger();
    private final AtomicReference<Runnable> roomListener = new AtomicReference<>();
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile boolean failed;

    // Touched only by the draining thread.
    private boolean needsFlush;

    ClientResponseWriter(AsyncContext asyncContext, HttpServletResponse clientResponse, ServletOutputStream out,
                         Runnable onClientGone) {
        this.asyncContext = asyncContext;
        this.clientResponse = clientResponse;
        this.out = out;
        this.onClientGone = onClientGone;
    }

    void offer(Head head) {
        queue.offer(head);
    }

    void offer(byte[] bytes) {
        queuedBytes.addAndGet(bytes.length);
        queue.offer(bytes);
    }

    /** After everything offered so far is written, completes the response. */
    void offerEnd() {
        queue.offer(END);
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
            try {
                writeQueued();
            } catch (IOException | IllegalStateException e) {
                writeFailed();
            }
            missed = workInProgress.addAndGet(-missed);
        } while (missed != 0);
    }

    private void writeQueued() throws IOException {
        if (completed.get() || failed) {
            discardQueue();
            return;
        }
        Object item;
        while ((item = queue.peek()) != null) {
            if (item instanceof Head head) {
                queue.poll();
                apply(head);
                continue;
            }
            if (!out.isReady()) {
                return;
            }
            if (item == END) {
                if (needsFlush) {
                    needsFlush = false;
                    out.flush();
                    if (!out.isReady()) {
                        return;
                    }
                }
                queue.poll();
                complete();
                return;
            }
            byte[] bytes = (byte[]) queue.poll();
            out.write(bytes);
            needsFlush = true;
            lastWriteNanos = System.nanoTime();
            queuedBytes.addAndGet(-bytes.length);
        }
        // Flush once per batch rather than per event: each event still leaves as soon as it was
        // queued, but a burst goes out in one packet.
        if (needsFlush && out.isReady()) {
            needsFlush = false;
            out.flush();
        }
        if (queuedBytes.get() <= LOW_WATER_BYTES) {
            fireRoom();
        }
    }

    private void apply(Head head) {
        clientResponse.setStatus(head.status());
        clientResponse.setContentType(head.contentType());
        if (head.contentLength() >= 0) {
            clientResponse.setContentLengthLong(head.contentLength());
        }
        List<String> headers = head.headers();
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            clientResponse.setHeader(headers.get(i), headers.get(i + 1));
        }
    }

    private void fireRoom() {
        Runnable resume = roomListener.getAndSet(null);
        if (resume != null) {
            resume.run();
        }
    }

    /** Ends the response without writing what is still queued; for a client that is gone. Container threads only. */
    void abort() {
        complete();
        discardQueue();
    }

    private void complete() {
        if (completed.compareAndSet(false, true)) {
            try {
                asyncContext.complete();
            } catch (IllegalStateException e) {
                // Already completed by the container after an I/O error: nothing left to do.
            }
        }
    }

    private void discardQueue() {
        queue.clear();
        queuedBytes.set(0);
    }

    /**
     * A write failed: the client is gone. Stop writing and tell the exchange (which cancels the
     * upstream at once), but leave completing the AsyncContext to the container's error dispatch
     * ({@link #onError} or the AsyncListener's): Tomcat handles the failed write on one of its own
     * threads, and completing concurrently from this thread can corrupt the connection's
     * processor, which is then recycled for another client.
     */
    private void writeFailed() {
        failed = true;
        discardQueue();
        onClientGone.run();
    }
}
