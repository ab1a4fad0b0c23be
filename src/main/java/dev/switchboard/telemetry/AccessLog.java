package dev.switchboard.telemetry;

import dev.switchboard.json.Json;
import dev.switchboard.llm.Usage;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes one JSON line per request to the java.util.logging logger {@code switchboard.access}, so
 * the container's logging configuration decides where it goes. Never message content, never a
 * token, key or Authorization header: only the token's configured name. Per deployment: a bounded
 * queue of lines and the thread that hands them to the logger.
 *
 * <p>Straight to java.util.logging rather than through SLF4J, whose JUL binding walks the stack
 * for the caller's class and method on every record; naming them here costs nothing.
 *
 * <p>The request's thread formats its line and queues it; the access log's own thread hands the
 * queued lines to the logger every {@link #LINGER}, a burst at a time. Handed over one by one as
 * requests end, every line woke the container's log writer (Tomcat's {@code AsyncFileHandler}
 * thread) from its queue, about a third of a context switch per request and 7 µs of CPU, more
 * than a tenth of a small request's (docs/operations.md#access-log). A line
 * that finds the queue full, or the log closing, is handed over by the request's thread itself:
 * lines are late by up to {@link #LINGER}, never lost.
 */
public final class AccessLog implements AutoCloseable {
    public static final String LOGGER = "switchboard.access";
    /** How long the thread gathers lines after the first before handing them over. */
    static final Duration LINGER = Duration.ofMillis(50);
    /** Lines queued at most: over a second of 15,000 requests a second, in about 4 MB of strings. */
    static final int QUEUE_LINES = 16_384;
    /** How long closing waits for the thread to hand over what is queued. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    static final String THREAD_NAME = "switchboard-access-log";
    /** A line's usual length: its buffer then never grows. */
    private static final int LINE_CHARS = 512;

    private final Logger logger;
    /** Null when lines go straight to the logger. */
    private final BlockingQueue<String> queue;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);

    private AccessLog(Logger logger, int capacity) {
        this.logger = logger;
        if (capacity > 0) {
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this::run, THREAD_NAME);
            thread.setDaemon(true);
        } else {
            this.queue = null;
            this.thread = null;
        }
    }

    /** The deployment's access log on {@link #LOGGER}, its thread started. */
    public static AccessLog start() {
        return batched(Logger.getLogger(LOGGER), QUEUE_LINES);
    }

    /** An access log whose lines {@code logger} gets in bursts, from a thread started here. */
    static AccessLog batched(Logger logger, int capacity) {
        AccessLog log = new AccessLog(logger, capacity);
        log.thread.start();
        return log;
    }

    /** An access log whose lines {@code logger} gets at once, on the request's thread (tests, tools). */
    public static AccessLog direct(Logger logger) {
        return new AccessLog(logger, 0);
    }

    /** Formats the request's line and queues it; never blocks. */
    public void write(RequestRecord record, String method, String path, int status, long endNanos) {
        if (!logger.isLoggable(Level.INFO)) {
            return;
        }
        String line = line(record, method, path, status, endNanos, Instant.now());
        if (queue == null || closing.getCount() == 0 || !queue.offer(line)) {
            publish(line);
        }
    }

    private void publish(String line) {
        logger.logp(Level.INFO, AccessLog.class.getName(), "write", line);
    }

    private void run() {
        List<String> burst = new ArrayList<>();
        try {
            while (closing.getCount() > 0) {
                String first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                // Waiting on the latch, not the queue: lines queued meanwhile wake nobody.
                closing.await(LINGER.toMillis(), TimeUnit.MILLISECONDS);
                burst.add(first);
                queue.drainTo(burst);
                handOver(burst);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.drainTo(burst);
        handOver(burst);
    }

    private void handOver(List<String> burst) {
        for (String line : burst) {
            publish(line);
        }
        burst.clear();
    }

    /** Hands over what is queued and stops the thread; lines written from now on go straight to the logger. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        closing.countDown();
        try {
            thread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Whatever the thread did not get to: a stuck handler should not lose the last lines.
        for (String line = queue.poll(); line != null; line = queue.poll()) {
            publish(line);
        }
    }

    static String line(RequestRecord record, String method, String path, int status, long endNanos, Instant now) {
        // Characters throughout: the line is a String for the logger, so encoding it to UTF-8 bytes
        // and decoding them back cost a third of the line's time (AccessLogBenchmark).
        StringWriter out = new StringWriter(LINE_CHARS);
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            g.write("time", now.toString());
            g.write("request_id", record.requestId());
            nullable(g, "trace_id", record.traceId());
            g.write("method", method);
            g.write("path", path);
            nullable(g, "token", record.tokenName());
            nullable(g, "team", record.teamName());
            nullable(g, "requested_model", record.requestedModel());
            g.write("model", record.model());
            g.write("provider", record.provider());
            g.write("stream", record.isStream());
            g.write("status", status);
            g.write("attempts", record.attempts());
            long firstToken = record.firstTokenAfterNanos();
            if (firstToken < 0) {
                g.writeNull("ttft_ms");
            } else {
                g.write("ttft_ms", TimeUnit.NANOSECONDS.toMillis(firstToken));
            }
            g.write("duration_ms", TimeUnit.NANOSECONDS.toMillis(endNanos - record.startNanos()));
            Usage usage = record.usage();
            if (usage == null) {
                g.writeNull("prompt_tokens");
                g.writeNull("completion_tokens");
            } else {
                g.write("prompt_tokens", usage.promptTokens());
                g.write("completion_tokens", usage.completionTokens());
            }
            // A JSON number, exact (docs/spend.md, "Cost of a request").
            g.write("cost_usd", Usd.of(record.costPicoUsd()));
            g.write("usage_estimated", record.isUsageEstimated());
            nullable(g, "client", record.clientAddress());
            g.writeEnd();
        }
        return out.toString();
    }

    private static void nullable(JsonGenerator g, String name, String value) {
        if (value == null) {
            g.writeNull(name);
        } else {
            g.write(name, value);
        }
    }
}
