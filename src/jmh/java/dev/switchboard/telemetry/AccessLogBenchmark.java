package dev.switchboard.telemetry;

import dev.switchboard.llm.Usage;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One access-log line of a non-streaming request as the bench's token makes it ({@link AccessLog#line}),
 * on the container thread in every request's completion callback.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class AccessLogBenchmark {
    private final RequestRecord record = record();
    private final Instant now = Instant.parse("2026-12-06T21:00:00.123456Z");

    private static RequestRecord record() {
        RequestRecord record = new RequestRecord(0, "req_9f3c2b7a4d5e6f708192a3b4c5d6e7f8", "127.0.0.1");
        record.token("bench");
        record.requestedModel("gpt-4o-mini");
        record.target("gpt-4o-mini", "mock-openai", 1);
        record.usage(new Usage(19, 9), 8_250_000L, false);
        return record;
    }

    @Benchmark
    public String line() {
        return AccessLog.line(record, "POST", "/v1/chat/completions", 200, 1_234_567, now);
    }
}
