package dev.switchboard.json;

import java.util.Arrays;

/**
 * JSON written by hand as UTF-8 into a growable buffer, for the stream chunks whose shape is
 * fixed and which a generator would otherwise write one token at a time: bytes that are already
 * JSON go in as they are (a chunk's repeated head, encoded once per stream), strings are quoted
 * and escaped exactly as the JSON-P generator ({@link Json#generator}) writes them, so that the
 * bytes do not depend on which of the two wrote them. Per writer; not thread-safe.
 */
public final class JsonBuffer {
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    /** Longest escape, {@code \}{@code u00XX}. */
    private static final int ESCAPE_BYTES = 6;

    private byte[] bytes;
    private int length;

    public JsonBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    /** Empties the buffer, keeping its capacity. */
    public JsonBuffer reset() {
        length = 0;
        return this;
    }

    /** Bytes that are JSON (or a part of it) already. */
    public JsonBuffer raw(byte[] json) {
        room(json.length);
        System.arraycopy(json, 0, bytes, length, json.length);
        length += json.length;
        return this;
    }

    public JsonBuffer number(long value) {
        String digits = Long.toString(value);
        room(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            bytes[length++] = (byte) digits.charAt(i);
        }
        return this;
    }

    /**
     * {@code value} as a JSON string literal, as the JSON-P generator writes it (RFC 8259 §7):
     * {@code "} and {@code \} escaped, the control characters below U+0020 as {@code \b \f \n \r
     * \t} or {@code \}{@code u00XX}, everything else as UTF-8; an unpaired surrogate becomes
     * {@code ?}, as {@link Utf8Writer} and {@code String.getBytes} make it.
     *
     * @throws NullPointerException when {@code value} is null, as the generator does
     */
    public JsonBuffer string(String value) {
        int count = value.length();
        // At most 3 bytes per char unescaped (a pair of chars is 4); an escape makes room for itself.
        room(count * 3 + 2);
        byte[] out = bytes;
        int at = length;
        out[at++] = '"';
        for (int i = 0; i < count; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out[at++] = (byte) c;
                } else {
                    length = at;
                    room(ESCAPE_BYTES + (count - i) * 3 + 1);
                    out = bytes;
                    at = escape(out, length, c);
                }
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6);
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < count && Character.isLowSurrogate(value.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                out[at++] = (byte) (0xF0 | codePoint >> 18);
                out[at++] = (byte) (0x80 | (codePoint >> 12 & 0x3F));
                out[at++] = (byte) (0x80 | (codePoint >> 6 & 0x3F));
                out[at++] = (byte) (0x80 | (codePoint & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out[at++] = '?';
            } else {
                out[at++] = (byte) (0xE0 | c >> 12);
                out[at++] = (byte) (0x80 | (c >> 6 & 0x3F));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        out[at++] = '"';
        length = at;
        return this;
    }

    private static int escape(byte[] out, int at, char c) {
        out[at++] = '\\';
        switch (c) {
            case '"', '\\' -> out[at++] = (byte) c;
            case '\b' -> out[at++] = 'b';
            case '\f' -> out[at++] = 'f';
            case '\n' -> out[at++] = 'n';
            case '\r' -> out[at++] = 'r';
            case '\t' -> out[at++] = 't';
            default -> {
                out[at++] = 'u';
                out[at++] = '0';
                out[at++] = '0';
                out[at++] = HEX[c >> 4];
                out[at++] = HEX[c & 0xF];
            }
        }
        return at;
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
        }
    }
}
