package dev.switchboard.web;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.sse.SseEncoder;
import dev.switchboard.time.Scheduler;
import java.util.concurrent.TimeUnit;

/**
 * The timers of one streamed response: a keep-alive comment whenever the stream has been quiet for
 * {@link #KEEP_ALIVE_MILLIS}, and the end of a stream that outlives {@code requests.maxStreamMs}
 * (docs/hostile-clients.md#concurrency-caps). Each runs on the timer and hands anything it throws to
 * the exchange, which ends. Per stream.
 */
final class StreamTimers {
    /** Silence after which an SSE comment keeps proxies and clients from timing the stream out. */
    static final long KEEP_ALIVE_MILLIS = 15_000;

    private final Scheduler scheduler;
    private final ResponseCommit commit;
    private final ClientResponseWriter writer;
    private final ChatExchange exchange;
    private volatile Scheduler.Cancellable keepAlive = Scheduler.Cancellable.NONE;
    private volatile Scheduler.Cancellable limit = Scheduler.Cancellable.NONE;

    StreamTimers(Scheduler scheduler, ResponseCommit commit, ClientResponseWriter writer, ChatExchange exchange) {
        this.scheduler = scheduler;
        this.commit = commit;
        this.writer = writer;
        this.exchange = exchange;
    }

    /**
     * The stream opened: starts the keep-alives and, with {@code maxStreamMs} above 0, the limit,
     * counted from {@code startNanos} (the request's arrival).
     */
    void opened(long maxStreamMs, long startNanos) {
        scheduleKeepAlive(KEEP_ALIVE_MILLIS);
        if (maxStreamMs > 0) {
            long left = TimeUnit.MILLISECONDS.toNanos(maxStreamMs) - (scheduler.nanoTime() - startNanos);
            limit = scheduler.schedule(() -> tooLong(maxStreamMs), Math.max(0, left), TimeUnit.NANOSECONDS);
        }
        // The stream may have ended on another thread (the client left) since it opened, its
        // cancel run before these were armed: they would hold the exchange until the limit fired.
        if (commit.state() != ResponseCommit.State.STREAMING) {
            cancel();
        }
    }

    void cancel() {
        keepAlive.cancel();
        limit.cancel();
    }

    /** Re-armed lazily: wakes once per period and looks at when the stream last wrote. */
    private void scheduleKeepAlive(long delayMillis) {
        keepAlive = scheduler.schedule(this::keepAliveCheck, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void keepAliveCheck() {
        try {
            if (commit.state() != ResponseCommit.State.STREAMING) {
                return;
            }
            long quietMillis = TimeUnit.NANOSECONDS.toMillis(scheduler.nanoTime() - writer.lastWriteNanos());
            if (quietMillis < KEEP_ALIVE_MILLIS) {
                scheduleKeepAlive(KEEP_ALIVE_MILLIS - quietMillis);
            } else if (commit.keepAlive(SseEncoder.KEEP_ALIVE) == ResponseCommit.Step.WROTE) {
                scheduleKeepAlive(KEEP_ALIVE_MILLIS);
                writer.drain();
            }
        } catch (Throwable e) {
            exchange.crashed(e);
        }
    }

    /** The stream ran out of time: an error event in the door's format, and the upstream released. */
    private void tooLong(long maxStreamMs) {
        exchange.endWith(ErrorKind.STREAM_TOO_LONG.error("The stream ran longer than this gateway allows ("
                + maxStreamMs + " ms) and was ended; ask for a shorter answer or continue in a new request."), false);
    }
}
