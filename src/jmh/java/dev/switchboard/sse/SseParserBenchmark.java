package dev.switchboard.sse;

import dev.switchboard.jmh.Payloads;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The SSE parser over one whole upstream stream, delivered one event per read as providers flush
 * them; a new parser per stream, as HttpAttempt makes one. Scores are per event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SseParserBenchmark {
    private byte[][] openAi;
    private byte[][] anthropic;

    @Setup
    public void setUp() {
        Payloads.events(Payloads.openAiStream(), Payloads.OPENAI_EVENTS);
        Payloads.events(Payloads.anthropicStream(), Payloads.ANTHROPIC_EVENTS);
        openAi = Payloads.perEvent(Payloads.openAiStream());
        anthropic = Payloads.perEvent(Payloads.anthropicStream());
    }

    @Benchmark
    @OperationsPerInvocation(Payloads.OPENAI_EVENTS)
    public void openAi(Blackhole blackhole) {
        feed(openAi, blackhole);
    }

    @Benchmark
    @OperationsPerInvocation(Payloads.ANTHROPIC_EVENTS)
    public void anthropic(Blackhole blackhole) {
        feed(anthropic, blackhole);
    }

    private static void feed(byte[][] reads, Blackhole blackhole) {
        SseParser parser = new SseParser(blackhole::consume);
        for (byte[] read : reads) {
            parser.feed(read, 0, read.length);
        }
    }
}
