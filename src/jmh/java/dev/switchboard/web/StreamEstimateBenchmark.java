package dev.switchboard.web;

import dev.switchboard.chat.ChatFormat;
import dev.switchboard.chat.ChatJson;
import dev.switchboard.sse.SseEvent;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every streamed event costs the cut-stream estimate on the I/O thread
 * ({@link StreamEstimate#add}): a stream of {@link #EVENTS} one-word OpenAI chunks (6.6 KB) into a fresh
 * estimate, per event, its sample included (within its 8 KiB, so nothing is tokenized).
 * {@code gc.alloc.rate.norm} is what the sample allocates per event; what it retains per stream
 * is {@link StreamEstimateFootprint}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class StreamEstimateBenchmark {
    static final int EVENTS = 30;

    private final ChatFormat format = ChatFormat.of(false);
    private final List<SseEvent> events = chatStream(EVENTS);

    /** {@code count} content chunks of one word each, as OpenAI streams them. */
    static List<SseEvent> chatStream(int count) {
        ChatJson chat = new ChatJson("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", 1_767_225_600L, "gpt-4o-mini", true);
        String[] words = {" The", " gateway", " counts", " every", " token", " of", " the", " stream", ",", " précis"};
        List<SseEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(SseEvent.of(chat.contentChunk(0, words[i % words.length])));
        }
        return events;
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public StreamEstimate add() {
        StreamEstimate estimate = new StreamEstimate(format);
        for (SseEvent event : events) {
            estimate.add(event);
        }
        return estimate;
    }
}
