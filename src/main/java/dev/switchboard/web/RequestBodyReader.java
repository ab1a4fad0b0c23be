package dev.switchboard.web;

import dev.switchboard.config.RequestLimits;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.time.Scheduler;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a request body without blocking a container thread (Jakarta Servlet 6.0 §5.7), into one
 * array that grows with what has arrived and never past the configured limit. A body over the
 * limit is refused with 413 as soon as the limit is crossed, not after it has been buffered; the
 * rest is then read and thrown away, up to as much again and {@link BodyDiscarder#MAX_MILLIS},
 * so that a client still sending at full speed reads its 413 rather than a reset connection. A
 * body that arrives too slowly ({@link BodyPace}) is refused with 408. Per request: one container
 * thread reads at a time, and the timer only looks at the pace and ends the exchange.
 */
final class RequestBodyReader implements ReadListener {
    static final int INITIAL_BUFFER_BYTES = 16 * 1024;
    /**
     * Most that a declared Content-Length reserves before the bytes arrive: a client that
     * announces 32 MiB and sends slowly (or never) must not hold 32 MiB per connection.
     */
    static final int MAX_PRESIZED_BYTES = 1024 * 1024;
    /** Where the body stands. */
    private enum Phase { READING, DISCARDING, DONE }

    private final ServletInputStream in;
    private final long maxBytes;
    /**
     * Largest the buffer needs to become: the declared length (the container delivers no more),
     * or one byte past the limit, which is enough to know a body of unknown length is too large.
     */
    private final long ceiling;
    private final ChatExchange exchange;
    private final Scheduler scheduler;
    private final BodyPace pace;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.READING);
    private volatile long discardEndNanos;
    private volatile Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;
    private byte[] buffer;
    private int length;
    private long discarded;

    RequestBodyReader(ServletInputStream in, long contentLength, long maxBytes, RequestLimits limits,
                      Scheduler scheduler, ChatExchange exchange) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.ceiling = contentLength >= 0 ? Math.min(contentLength, maxBytes + 1) : maxBytes + 1;
        this.exchange = exchange;
        this.scheduler = scheduler;
        this.pace = new BodyPace(limits, scheduler.nanoTime());
        int initial = contentLength >= 0 ? (int) Math.min(Math.min(contentLength, maxBytes), MAX_PRESIZED_BYTES)
                : INITIAL_BUFFER_BYTES;
        this.buffer = new byte[Math.max(initial, 1)];
    }

    /** Starts watching the pace; call once, before the listener is set. */
    void arm() {
        long deadline = phase.get() == Phase.DISCARDING ? Math.min(discardEndNanos, pace.deadlineNanos()) : pace.deadlineNanos();
        timer = scheduler.schedule(this::check, Math.max(0, deadline - scheduler.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void check() {
        try {
            checkPace();
        } catch (RuntimeException | Error e) {
            phase.set(Phase.DONE);
            exchange.crashed(e);
        }
    }

    private void checkPace() {
        Phase now = phase.get();
        if (now == Phase.DONE) {
            return;
        }
        long nanos = scheduler.nanoTime();
        if (now == Phase.DISCARDING && (nanos - discardEndNanos >= 0 || pace.expired(nanos))) {
            endDiscarding();
        } else if (now == Phase.READING && pace.expired(nanos)) {
            if (phase.compareAndSet(Phase.READING, Phase.DONE)) {
                exchange.fail(ErrorKind.REQUEST_TIMEOUT.error(pace.reason(nanos)
                        + " Send the body at a steady pace, or check the connection."));
            }
        } else {
            arm();
        }
    }

    @Override
    public void onDataAvailable() throws IOException {
        try {
            Phase now;
            while ((now = phase.get()) != Phase.DONE && in.isReady()) {
                if (now == Phase.DISCARDING) {
                    discard();
                    continue;
                }
                if (length == buffer.length) {
                    if (in.isFinished()) {
                        return;
                    }
                    long grown = Math.min(Math.max((long) buffer.length * 2, INITIAL_BUFFER_BYTES),
                            Math.max(ceiling, buffer.length + 1L));
                    buffer = Arrays.copyOf(buffer, (int) grown);
                }
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    return;
                }
                length += read;
                exchange.progressed();
                pace.received(read, scheduler.nanoTime());
                if (length > maxBytes) {
                    tooLarge();
                }
            }
        } catch (IOException | IllegalStateException e) {
            // The timer ended the exchange meanwhile, or the connection failed: nothing more to read.
            if (phase.get() == Phase.READING) {
                throw e;
            }
        } catch (RuntimeException | Error e) {
            // Tomcat rethrows a VirtualMachineError (OutOfMemoryError from growing the buffer)
            // without calling onError: the exchange ends here (docs/hostile-clients.md#every-exchange-ends).
            if (phase.getAndSet(Phase.DONE) != Phase.DONE) {
                timer.cancel();
                buffer = null;
                exchange.crashed(e);
            }
        }
    }

    /** Refuses with 413 now, and keeps reading to throw the rest away before the response ends. */
    private void tooLarge() {
        buffer = null;
        discardEndNanos = scheduler.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BodyDiscarder.MAX_MILLIS);
        if (!phase.compareAndSet(Phase.READING, Phase.DISCARDING)) {
            return;
        }
        exchange.holdEnd();
        exchange.fail(ErrorKind.REQUEST_TOO_LARGE.error("The request body is larger than the "
                + maxBytes + "-byte limit."));
    }

    private void discard() throws IOException {
        int read = in.read(BodyDiscarder.SCRAPS);
        if (read < 0) {
            endDiscarding();
            return;
        }
        discarded += read;
        pace.received(read, scheduler.nanoTime());
        if (discarded > maxBytes) {
            endDiscarding();
        }
    }

    private void endDiscarding() {
        if (phase.compareAndSet(Phase.DISCARDING, Phase.DONE)) {
            timer.cancel();
            exchange.releaseEnd();
        }
    }

    @Override
    public void onAllDataRead() {
        if (phase.compareAndSet(Phase.READING, Phase.DONE)) {
            timer.cancel();
            exchange.onBody(buffer, length);
        } else {
            endDiscarding();
        }
    }

    @Override
    public void onError(Throwable t) {
        timer.cancel();
        if (phase.getAndSet(Phase.DONE) == Phase.DISCARDING) {
            exchange.releaseEnd();
        }
        exchange.onConnectionError();
    }
}
