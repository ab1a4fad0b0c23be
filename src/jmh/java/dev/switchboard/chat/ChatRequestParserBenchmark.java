package dev.switchboard.chat;

import dev.switchboard.jmh.Payloads;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every chat request costs before any provider is chosen: strict parsing and validation of
 * the client's body, and, for OpenAI-compatible upstreams, the body with the model renamed.
 * Scores are per request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ChatRequestParserBenchmark {
    @Param({"small", "tools"})
    public String request;

    private byte[] body;
    private ChatRequest parsed;

    @Setup
    public void setUp() {
        body = Payloads.utf8(request.equals("small") ? Payloads.SMALL_REQUEST : Payloads.TOOLS_REQUEST);
        parsed = ChatRequestParser.parse(body, body.length);
    }

    @Benchmark
    public ChatRequest parse() {
        return ChatRequestParser.parse(body, body.length);
    }

    /** The OpenAI passthrough's one body step: the client's bytes with {@code model} replaced. */
    @Benchmark
    public byte[] bodyWithModel() {
        return parsed.bodyWithModel("gpt-4o-mini-2024-07-18");
    }
}
