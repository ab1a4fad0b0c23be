package dev.switchboard.provider.openai;

import dev.switchboard.jmh.Payloads;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import java.util.List;
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
 * The OpenAI passthrough's per-event step: each chunk is relayed as is, but read once for usage,
 * errors and finish_reason. A whole 8-delta stream per invocation; scores are per upstream event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class OpenAiStreamRelayBenchmark {
    private List<SseEvent> events;
    private byte[][] reads;

    @Setup
    public void setUp() {
        events = Payloads.events(Payloads.openAiStream(), Payloads.OPENAI_EVENTS);
        reads = Payloads.perEvent(Payloads.openAiStream());
    }

    /** The relay alone: each chunk scanned by the JSON parser, then passed on. */
    @Benchmark
    @OperationsPerInvocation(Payloads.OPENAI_EVENTS)
    public Usage relay(Blackhole blackhole) {
        return Payloads.translate(new OpenAiStreamRelay(true), events, blackhole::consume);
    }

    /** The whole per-event path of HttpAttempt: network reads through the SSE parser into the relay. */
    @Benchmark
    @OperationsPerInvocation(Payloads.OPENAI_EVENTS)
    public Usage parseAndRelay(Blackhole blackhole) {
        return Payloads.parseAndTranslate(new OpenAiStreamRelay(true), reads, blackhole::consume);
    }
}
