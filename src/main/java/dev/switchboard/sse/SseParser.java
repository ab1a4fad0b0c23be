package dev.switchboard.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental parser for {@code text/event-stream} as specified by WHATWG HTML §9.2.6
 * ("Interpreting an event stream"). One instance per stream; not thread-safe; no I/O.
 *
 * <p>It works on bytes: lines end at CR, LF or CRLF (also when the CR and LF arrive in different
 * reads), and since those are ASCII they never occur inside a multi-byte UTF-8 sequence, so a
 * character split across reads is reassembled simply by keeping the partial line. Data lines are
 * joined with LF; comments and {@code retry:} are ignored; an event with no data line is not
 * dispatched; an unterminated event at end of input is discarded, as the spec says.
 *
 * <p>Lines that are not event-stream syntax (not blank, not a comment, not a {@code data},
 * {@code event}, {@code id} or {@code retry} field) are ignored as the spec says, unless an
 * {@link OtherLineListener} is given: some servers write text that is not SSE into an event
 * stream, e.g. Gemini reports an error after its stream started as bare JSON lines
 * (docs/protocols/openai-to-gemini.md A4). {@link #end} hands that listener an unterminated last line too.
 */
public final class SseParser {
    /** Largest single line or event accepted, so a peer that never ends a line cannot exhaust memory. */
    public static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** Receives each event as soon as its terminating blank line is parsed. */
    @FunctionalInterface
    public interface Listener {
        void onEvent(SseEvent event);
    }

    /** Receives each line that is not event-stream syntax, as soon as it ends. */
    @FunctionalInterface
    public interface OtherLineListener {
        /**
         * @param line the line's raw bytes, without its line end, at {@code [offset, offset + length)};
         *     valid only during the call
         */
        void onOtherLine(byte[] line, int offset, int length);
    }

    private final Listener listener;
    private final OtherLineListener otherLines;
    private byte[] line = new byte[256];
    private int lineLength;
    private byte[] data = new byte[256];
    private int dataLength;
    private boolean hasData;
    private String eventType;
    private boolean lastWasCarriageReturn;
    private int bomBytesSeen;
    private boolean bomChecked;

    public SseParser(Listener listener) {
        this(listener, null);
    }

    /** @param otherLines receives the lines that are not event-stream syntax; null to ignore them */
    public SseParser(Listener listener, OtherLineListener otherLines) {
        this.listener = listener;
        this.otherLines = otherLines;
    }

    /**
     * The input has ended. An unterminated last line is discarded, as the spec says, except that
     * the {@link OtherLineListener} gets it when it is not event-stream syntax: a bare JSON value
     * need not end with a line end.
     */
    public void end() {
        int length = lineLength;
        lineLength = 0;
        if (length > 0 && otherLines != null && !isStreamSyntax(line, 0, length)) {
            otherLines.onOtherLine(line, 0, length);
        }
    }

    public void feed(ByteBuffer src) {
        if (src.hasArray()) {
            feed(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.limit());
        } else {
            byte[] copy = new byte[src.remaining()];
            src.get(copy);
            feed(copy, 0, copy.length);
        }
    }

    public void feed(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        if (!bomChecked) {
            i = skipBom(bytes, i, end);
            if (!bomChecked) {
                return;
            }
        }
        if (lastWasCarriageReturn && i < end) {
            lastWasCarriageReturn = false;
            if (bytes[i] == '\n') {
                i++;
            }
        }
        int lineStart = i;
        while (i < end) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                if (lineLength == 0) {
                    processLine(bytes, lineStart, i - lineStart);
                } else {
                    append(bytes, lineStart, i - lineStart);
                    processLine(line, 0, lineLength);
                    lineLength = 0;
                }
                i++;
                if (b == '\r') {
                    if (i == end) {
                        lastWasCarriageReturn = true;
                    } else if (bytes[i] == '\n') {
                        i++;
                    }
                }
                lineStart = i;
            } else {
                i++;
            }
        }
        if (lineStart < end) {
            append(bytes, lineStart, end - lineStart);
        }
    }

    /** Leading UTF-8 byte order mark, which the spec says to ignore; it may span reads too. */
    private int skipBom(byte[] bytes, int i, int end) {
        while (i < end && bomBytesSeen < UTF8_BOM.length) {
            if (bytes[i] != UTF8_BOM[bomBytesSeen]) {
                // Not a BOM after all: replay what we held back.
                bomChecked = true;
                if (bomBytesSeen > 0) {
                    byte[] held = Arrays.copyOf(UTF8_BOM, bomBytesSeen);
                    bomBytesSeen = 0;
                    feed(held, 0, held.length);
                }
                return i;
            }
            bomBytesSeen++;
            i++;
        }
        if (bomBytesSeen == UTF8_BOM.length) {
            bomChecked = true;
        }
        return i;
    }

    private void append(byte[] bytes, int offset, int length) {
        int needed = lineLength + length;
        if (needed > MAX_EVENT_BYTES) {
            throw new SseException("event stream line longer than " + MAX_EVENT_BYTES + " bytes");
        }
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, line.length * 2));
        }
        System.arraycopy(bytes, offset, line, lineLength, length);
        lineLength = needed;
    }

    private void processLine(byte[] bytes, int offset, int length) {
        if (length == 0) {
            dispatch();
            return;
        }
        if (bytes[offset] == ':') {
            return;
        }
        int colon = -1;
        for (int k = offset; k < offset + length; k++) {
            if (bytes[k] == ':') {
                colon = k;
                break;
            }
        }
        int nameEnd = colon < 0 ? offset + length : colon;
        int valueStart = colon < 0 ? offset + length : colon + 1;
        if (valueStart < offset + length && bytes[valueStart] == ' ') {
            valueStart++;
        }
        int valueLength = offset + length - valueStart;
        if (isField(bytes, offset, nameEnd, "data")) {
            appendData(bytes, valueStart, valueLength);
        } else if (isField(bytes, offset, nameEnd, "event")) {
            eventType = new String(bytes, valueStart, valueLength, StandardCharsets.UTF_8);
        } else if (otherLines != null && !isField(bytes, offset, nameEnd, "id")
                && !isField(bytes, offset, nameEnd, "retry")) {
            otherLines.onOtherLine(bytes, offset, length);
        }
        // "id" and "retry" carry nothing a relay needs; unknown fields are ignored per the spec.
    }

    /** Whether a non-empty line is a comment or a field the spec defines. */
    private static boolean isStreamSyntax(byte[] bytes, int offset, int length) {
        if (bytes[offset] == ':') {
            return true;
        }
        int nameEnd = offset;
        while (nameEnd < offset + length && bytes[nameEnd] != ':') {
            nameEnd++;
        }
        return isField(bytes, offset, nameEnd, "data") || isField(bytes, offset, nameEnd, "event")
                || isField(bytes, offset, nameEnd, "id") || isField(bytes, offset, nameEnd, "retry");
    }

    private void appendData(byte[] bytes, int offset, int length) {
        int needed = dataLength + length + 1;
        if (needed > MAX_EVENT_BYTES) {
            throw new SseException("event stream event larger than " + MAX_EVENT_BYTES + " bytes");
        }
        if (needed > data.length) {
            data = Arrays.copyOf(data, Math.max(needed, data.length * 2));
        }
        System.arraycopy(bytes, offset, data, dataLength, length);
        dataLength += length;
        data[dataLength++] = '\n';
        hasData = true;
    }

    private void dispatch() {
        if (hasData) {
            // The trailing LF added after the last data line is not part of the data.
            listener.onEvent(new SseEvent(eventType, Arrays.copyOf(data, dataLength - 1)));
        }
        hasData = false;
        dataLength = 0;
        eventType = null;
    }

    private static boolean isField(byte[] bytes, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            if (bytes[from + k] != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
