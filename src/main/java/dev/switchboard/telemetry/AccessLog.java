package dev.switchboard.telemetry;

import dev.switchboard.json.Json;
import dev.switchboard.llm.Usage;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes one JSON line per request to the java.util.logging logger {@code switchboard.access}, so
 * the container's logging configuration decides where it goes. Never message content, never a
 * token, key or Authorization header: only the token's configured name. Stateless.
 *
 * <p>Straight to java.util.logging rather than through SLF4J, whose JUL binding walks the stack
 * for the caller's class and method on every record; naming them here costs nothing.
 */
public final class AccessLog {
    public static final String LOGGER = "switchboard.access";
    private static final Logger LOG = Logger.getLogger(LOGGER);
    /** A line's usual length: its buffer then never grows. */
    private static final int LINE_CHARS = 512;

    private AccessLog() {
    }

    public static void write(RequestRecord record, String method, String path, int status, long endNanos) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        LOG.logp(Level.INFO, AccessLog.class.getName(), "write", line(record, method, path, status, endNanos, Instant.now()));
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
