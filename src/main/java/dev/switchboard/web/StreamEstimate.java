package dev.switchboard.web;

import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.mapping.TokenEstimate;
import dev.switchboard.sse.SseEvent;

/**
 * What a stream used when its provider never said (docs/spend.md, "Streams"). The events that
 * carry a token are counted by their bytes as they pass, and a sample of them is kept, at most
 * {@link #SAMPLE_BYTES}: every event at first; each time the sample is full, every other event in
 * it is tokenized and let go (only its counts are kept) and from then on every second (fourth, …)
 * event is taken, so that the sample spreads over the whole stream (reasoning, then text, then
 * tool arguments) and grows by a few dozen events per doubling of the stream. The estimate scales
 * the tokens of every sampled event to the whole stream by the bytes of text: a stream of any
 * length holds a bounded sample, and one that fits in it is counted exactly (by
 * {@code o200k_base}). The sample keeps only the events' data, packed ({@link EventSample}): every
 * stream keeps one, and most end well and never need it. Per stream; thread-safe: events arrive on
 * an I/O thread, the estimate is made on a container thread.
 */
final class StreamEstimate {
    /**
     * Bytes of token-carrying events the sample holds at most: about 50 chunks of one token each
     * as OpenAI streams them, more text from providers that send longer deltas. Packed, they take
     * a tenth of that or less ({@link EventSample}).
     */
    static final int SAMPLE_BYTES = 8 * 1024;

    private final ClientFormat format;
    private final EventSample sample = new EventSample();
    private long sampledBytes;
    /** Token-carrying events seen, their bytes, and one in how many of them the sample takes. */
    private long seen;
    private long totalBytes;
    private long stride = 1;
    /** What the events let go from the sample held: their count, bytes, bytes of text and tokens. */
    private final Counts released = new Counts();

    /** @param format the door's, which says which events carry a token and what text they hold */
    StreamEstimate(ClientFormat format) {
        this.format = format;
    }

    /** Sampled events' totals. Per stream. */
    private static final class Counts {
        long events;
        long bytes;
        long textBytes;
        long tokens;

        void add(Counts other) {
            events += other.events;
            bytes += other.bytes;
            textBytes += other.textBytes;
            tokens += other.tokens;
        }
    }

    /** Counts one event the stream delivered. */
    synchronized void add(SseEvent event) {
        if (!format.carriesToken(event)) {
            return;
        }
        byte[] data = event.data();
        totalBytes += data.length;
        if (seen++ % stride != 0) {
            return;
        }
        sample.add(data);
        sampledBytes += data.length;
        if (sampledBytes > SAMPLE_BYTES) {
            thin();
        }
    }

    /** Lets every other event of the sample go, counted, and from now on takes half as many. */
    private void thin() {
        byte[][] events = sample.events();
        byte[][] dropped = new byte[events.length / 2][];
        sample.clear();
        sampledBytes = 0;
        for (int i = 0; i < events.length; i++) {
            if (i % 2 == 0) {
                sample.add(events[i]);
                sampledBytes += events[i].length;
            } else {
                dropped[i / 2] = events[i];
            }
        }
        released.add(count(dropped));
        stride *= 2;
    }

    /** The counts of the events whose data is {@code events}, their text tokenized. */
    private Counts count(byte[][] events) {
        Counts counts = new Counts();
        StringBuilder text = new StringBuilder();
        for (byte[] data : events) {
            counts.events++;
            counts.bytes += data.length;
            format.generatedText(data, text);
        }
        counts.textBytes = utf8Length(text);
        counts.tokens = TokenEstimate.estimate(text.toString());
        return counts;
    }

    /** Bytes of events held in the sample now. */
    synchronized long sampledBytes() {
        return sampledBytes;
    }

    /** Bytes of the array the sample is packed in. */
    synchronized int sampleCapacity() {
        return sample.capacity();
    }

    /** Whether any event carried a token. */
    synchronized boolean generated() {
        return totalBytes > 0;
    }

    /**
     * The tokens generated so far: those of the sampled events, scaled to the whole stream by the
     * bytes of text. Each event's bytes are its text and its framing ({@code id}, {@code model},
     * …), about the same in every event of a stream; so the text of the events not sampled is
     * their bytes less the sample's framing per event.
     */
    synchronized long completionTokens() {
        Counts all = count(sample.events());
        if (all.events == seen) {
            return all.tokens;
        }
        all.add(released);
        if (all.textBytes == 0) {
            return 0;
        }
        double framingPerEvent = (double) Math.max(0, all.bytes - all.textBytes) / all.events;
        double totalTextBytes = Math.max(all.textBytes, totalBytes - seen * framingPerEvent);
        return Math.round(all.tokens * totalTextBytes / all.textBytes);
    }

    /** The usage of a stream cut short: {@code promptTokens} and what it generated. */
    Usage usage(long promptTokens) {
        return new Usage(promptTokens, completionTokens());
    }

    /** The bytes of {@code text} in UTF-8. */
    static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
