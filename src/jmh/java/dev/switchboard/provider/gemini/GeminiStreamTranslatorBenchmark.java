package dev.switchboard.provider.gemini;

import dev.switchboard.chat.ChatFormat;
import dev.switchboard.jmh.Payloads;
import dev.switchboard.provider.http.DecodedStream;
import dev.switchboard.provider.http.StreamTranslator;
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
 * Gemini's stream into OpenAI chunks (the decoder into the internal model and the Chat door's
 * encoder): a whole 8-event stream per invocation, a new pair per stream as GeminiConnector makes
 * one. Scores are per upstream event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class GeminiStreamTranslatorBenchmark {
    private static final ReplyContext CONTEXT = new ReplyContext("gemini", "gemini-2.5-flash", 1, "sbbench");

    private List<SseEvent> events;
    private byte[][] reads;

    private static StreamTranslator translator() {
        return new DecodedStream(new GeminiStreamDecoder(CONTEXT), ChatFormat.of(false).streamEncoder("req"));
    }

    @Setup
    public void setUp() {
        events = Payloads.events(Payloads.geminiStream(), Payloads.GEMINI_EVENTS);
        reads = Payloads.perEvent(Payloads.geminiStream());
    }

    /** The translator alone: each event's JSON parsed, each chunk's JSON written. */
    @Benchmark
    @OperationsPerInvocation(Payloads.GEMINI_EVENTS)
    public Usage translate(Blackhole blackhole) {
        return Payloads.translate(translator(), events, blackhole::consume);
    }

    /** The whole per-event path of HttpAttempt: network reads through the SSE parser into the translator. */
    @Benchmark
    @OperationsPerInvocation(Payloads.GEMINI_EVENTS)
    public Usage parseAndTranslate(Blackhole blackhole) {
        return Payloads.parseAndTranslate(translator(), reads, blackhole::consume);
    }
}
