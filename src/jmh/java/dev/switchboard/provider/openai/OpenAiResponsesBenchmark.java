package dev.switchboard.provider.openai;

import dev.switchboard.jmh.Payloads;
import dev.switchboard.llm.Usage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading usage from a whole non-streaming reply, and the facts of the stream chunks that pass the
 * byte pre-check (the finish chunk and the usage chunk): with the byte skimmer
 * ({@link OpenAiResponses}) and, for the before/after in one run, with the JSON-P parser as they
 * were read before ({@code ParserReadings}, in the test sources).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class OpenAiResponsesBenchmark {
    private static final String USAGE = "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}";

    /** {@code mock}: the load harness's reply (360 bytes); {@code long}: a 4 KB answer with escapes and logprobs off. */
    @Param({"mock", "long"})
    public String reply;

    private byte[] body;
    private byte[] finishChunk;
    private byte[] usageChunk;

    @Setup
    public void setUp() {
        String content = "mock".equals(reply) ? "Hello from the mock upstream."
                : "Here is the plan, step by step:\\n1. \\\"Parse\\\" the input \\u2014 carefully.\\n".repeat(60);
        body = utf8("{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":" + Payloads.CREATED
                + ",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"" + content + "\",\"refusal\":null},\"logprobs\":null,"
                + "\"finish_reason\":\"stop\"}]," + USAGE + "}");
        String prefix = "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":" + Payloads.CREATED
                + ",\"model\":\"gpt-4o-mini\",\"choices\":[";
        finishChunk = utf8(prefix + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}");
        usageChunk = utf8(prefix + "]," + USAGE + "}");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Usage readUsageSkimmer() {
        return OpenAiResponses.readUsage(body);
    }

    @Benchmark
    public Usage readUsageParser() {
        return ParserReadings.readUsage(body);
    }

    /** Per chunk: the finish chunk and the usage chunk. */
    @Benchmark
    @OperationsPerInvocation(2)
    public void readChunkSkimmer(Blackhole blackhole) {
        blackhole.consume(OpenAiResponses.readChunk(finishChunk));
        blackhole.consume(OpenAiResponses.readChunk(usageChunk));
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void readChunkParser(Blackhole blackhole) {
        blackhole.consume(ParserReadings.readChunk(finishChunk));
        blackhole.consume(ParserReadings.readChunk(usageChunk));
    }
}
