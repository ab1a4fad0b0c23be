package dev.switchboard.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One dispatched server-sent event. {@code data} is the raw UTF-8 of the data lines joined with
 * LF, so a relay can forward it without decoding. Immutable by convention: nobody writes to the
 * array after dispatch.
 *
 * @param type the {@code event:} field, or null when the stream did not name the event
 */
public record SseEvent(String type, byte[] data) {
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    /** An unnamed event carrying {@code data}, as Chat Completions sends them. */
    public static SseEvent of(byte[] data) {
        return new SseEvent(null, data);
    }

    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** OpenAI's end-of-stream sentinel {@code data: [DONE]} (docs/protocols/openai-chat.md §6.3). */
    public boolean isDone() {
        return Arrays.equals(data, DONE);
    }

    @Override
    public String toString() {
        return "SseEvent[type=" + type + ", data=" + dataAsString() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SseEvent other
                && java.util.Objects.equals(type, other.type) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hashCode(type) + Arrays.hashCode(data);
    }
}
