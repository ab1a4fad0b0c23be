package dev.switchboard.web;

import dev.switchboard.chat.ChatFormat;
import dev.switchboard.sse.SseEvent;
import java.util.List;
import org.openjdk.jol.info.GraphLayout;

/**
 * What one stream's estimate retains ({@link StreamEstimate}, its sample included, the shared
 * format excepted) after N one-word OpenAI chunks, by JOL's walk of its object graph: the
 * per-stream heap the trickle scenario multiplies by 5,000. Run with the jmh profile's classpath:
 * {@code java -cp <test classpath> dev.switchboard.web.StreamEstimateFootprint}.
 */
public final class StreamEstimateFootprint {
    private StreamEstimateFootprint() {
    }

    public static void main(String[] args) {
        ChatFormat format = ChatFormat.of(false);
        long shared = GraphLayout.parseInstance(format).totalSize();
        for (int events : new int[] {0, 1, 10, 30, 50, 200, 5000}) {
            List<SseEvent> stream = StreamEstimateBenchmark.chatStream(events);
            StreamEstimate estimate = new StreamEstimate(format);
            stream.forEach(estimate::add);
            GraphLayout layout = GraphLayout.parseInstance(estimate);
            System.out.printf("events=%d eventBytes=%d retained=%d objects=%d%n", events,
                    stream.stream().mapToLong(e -> e.data().length).sum(), layout.totalSize() - shared,
                    layout.totalCount() - GraphLayout.parseInstance(format).totalCount());
        }
    }
}
