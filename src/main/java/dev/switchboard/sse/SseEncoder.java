package dev.switchboard.sse;

import java.nio.charset.StandardCharsets;

/**
 * Writes server-sent events, the encoding side of {@link SseParser} (WHATWG HTML §9.2.5): an
 * optional {@code event:} line, the data as {@code data:} lines, and the blank line that
 * dispatches the event. Stateless.
 */
public final class SseEncoder {
    /** OpenAI's end-of-stream sentinel (docs/protocols/openai-chat.md §6.3). */
    public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * A comment line: ignored by every client (WHATWG HTML §9.2.6), and bytes on the wire that keep
     * proxies and clients from timing a quiet stream out.
     */
    public static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] EVENT_PREFIX = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private SseEncoder() {
    }

    /** One unnamed event carrying {@code data}. */
    public static byte[] encode(byte[] data) {
        return encode(null, data);
    }

    /**
     * One event carrying {@code data}, named {@code type} when it is not null. A line feed in the
     * data (an upstream that spread its JSON over several {@code data:} lines, which the parser
     * joined with line feeds) starts another {@code data:} line, so the client joins the same text
     * back (WHATWG HTML §9.2.6). The name must hold no line break: names come from the protocols'
     * fixed sets, never from a client.
     */
    public static byte[] encode(String type, byte[] data) {
        int lineFeeds = 0;
        for (byte b : data) {
            if (b == '\n') {
                lineFeeds++;
            }
        }
        byte[] name = type == null ? null : type.getBytes(StandardCharsets.UTF_8);
        int nameLength = name == null ? 0 : EVENT_PREFIX.length + name.length + 1;
        byte[] frame = new byte[nameLength + DATA_PREFIX.length * (1 + lineFeeds) + data.length + EVENT_END.length];
        int at = 0;
        if (name != null) {
            System.arraycopy(EVENT_PREFIX, 0, frame, 0, EVENT_PREFIX.length);
            System.arraycopy(name, 0, frame, EVENT_PREFIX.length, name.length);
            at = nameLength;
            frame[at - 1] = '\n';
        }
        System.arraycopy(DATA_PREFIX, 0, frame, at, DATA_PREFIX.length);
        at += DATA_PREFIX.length;
        if (lineFeeds == 0) {
            System.arraycopy(data, 0, frame, at, data.length);
            at += data.length;
        } else {
            for (byte b : data) {
                frame[at++] = b;
                if (b == '\n') {
                    System.arraycopy(DATA_PREFIX, 0, frame, at, DATA_PREFIX.length);
                    at += DATA_PREFIX.length;
                }
            }
        }
        System.arraycopy(EVENT_END, 0, frame, at, EVENT_END.length);
        return frame;
    }
}
