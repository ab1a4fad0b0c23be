package dev.switchboard.provider.anthropic;

import dev.switchboard.chat.ChatFormat;
import dev.switchboard.jmh.Payloads;
import dev.switchboard.provider.http.DecodedStream;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEncoder;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseParser;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * Anthropic's stream into OpenAI chunks (the decoder into the internal model and the Chat door's
 * encoder): a whole 8-delta stream per invocation, a new pair per stream as AnthropicConnector
 * makes one. Scores are per upstream event, but {@link #wholeStream}'s, which are per stream.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AnthropicStreamTranslatorBenchmark {
    private List<SseEvent> events;
    private byte[][] reads;

    @Setup
    public void setUp() {
        events = Payloads.events(Payloads.anthropicStream(), Payloads.ANTHROPIC_EVENTS);
        reads = Payloads.perEvent(Payloads.anthropicStream());
    }

    private static StreamTranslator translator() {
        return new DecodedStream(new MessageStreamDecoder("anthropic", "claude-sonnet-4-5", false),
                ChatFormat.of(false).streamEncoder("req"));
    }

    /** The translator alone: each event's JSON parsed, each chunk's JSON written. */
    @Benchmark
    @OperationsPerInvocation(Payloads.ANTHROPIC_EVENTS)
    public Usage translate(Blackhole blackhole) {
        return Payloads.translate(translator(), events, blackhole::consume);
    }

    /** The whole per-event path of HttpAttempt: network reads through the SSE parser into the translator. */
    @Benchmark
    @OperationsPerInvocation(Payloads.ANTHROPIC_EVENTS)
    public Usage parseAndTranslate(Blackhole blackhole) {
        return Payloads.parseAndTranslate(translator(), reads, blackhole::consume);
    }

    /**
     * One translated 8-delta stream from network bytes to the client's frames, as the bench's
     * {@code stream-anthropic} scenario has the gateway do it: SSE parser, decoder, Chat encoder
     * and each chunk framed as ChatExchange frames it ({@link SseEncoder}). Score per stream.
     */
    @Benchmark
    public Usage wholeStream(Blackhole blackhole) {
        StreamTranslator translator = translator();
        Consumer<SseEvent> frame = chunk -> blackhole.consume(SseEncoder.encode(chunk.type(), chunk.data()));
        SseParser parser = new SseParser(event -> translator.onEvent(event, frame));
        for (byte[] read : reads) {
            parser.feed(read, 0, read.length);
        }
        return translator.finish(frame);
    }
}
