package dev.switchboard.json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Objects;

/**
 * A UTF-8 {@link Writer} onto an {@link OutputStream}, for the JSON generators. The JDK's
 * {@code OutputStreamWriter} allocates an 8 KiB byte buffer and a charset encoder per instance,
 * and the gateway makes a generator per chunk it writes: for a 300-byte chunk that buffer was
 * most of the chunk's garbage. Unpaired surrogates are written as {@code '?'}, as
 * {@code String.getBytes(UTF_8)} and {@code OutputStreamWriter} do (RFC 3629 section 3 forbids
 * encoding them). Per generator; not thread-safe.
 */
final class Utf8Writer extends Writer {
    /** Bytes encoded before they go to the stream in one write; a whole chunk fits most times. */
    static final int BUFFER_BYTES = 512;

    /** Longest encoding of one char, or of a surrogate pair completed by one char. */
    private static final int MAX_BYTES_PER_CHAR = 4;

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int length;
    /** A high surrogate written last, waiting for its low half (which may come in the next write). */
    private char pendingHigh;

    Utf8Writer(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int c) throws IOException {
        encode((char) c);
    }

    @Override
    public void write(char[] chars, int offset, int count) throws IOException {
        Objects.checkFromIndexSize(offset, count, chars.length);
        int end = offset + count;
        int i = offset;
        while (i < end) {
            // A run of ASCII straight into the buffer (JSON is mostly ASCII); the rest one by one.
            if (pendingHigh == 0) {
                int stop = Math.min(end, i + BUFFER_BYTES - length);
                while (i < stop && chars[i] < 0x80) {
                    buffer[length++] = (byte) chars[i++];
                }
                if (length == BUFFER_BYTES) {
                    drain();
                    continue;
                }
                if (i == end) {
                    return;
                }
            }
            encode(chars[i++]);
        }
    }

    @Override
    public void write(String text, int offset, int count) throws IOException {
        Objects.checkFromIndexSize(offset, count, text.length());
        int end = offset + count;
        int i = offset;
        while (i < end) {
            if (pendingHigh == 0) {
                int stop = Math.min(end, i + BUFFER_BYTES - length);
                char c;
                while (i < stop && (c = text.charAt(i)) < 0x80) {
                    buffer[length++] = (byte) c;
                    i++;
                }
                if (length == BUFFER_BYTES) {
                    drain();
                    continue;
                }
                if (i == end) {
                    return;
                }
            }
            encode(text.charAt(i++));
        }
    }

    private void encode(char c) throws IOException {
        if (length > BUFFER_BYTES - MAX_BYTES_PER_CHAR) {
            drain();
        }
        if (pendingHigh != 0) {
            char high = pendingHigh;
            pendingHigh = 0;
            if (Character.isLowSurrogate(c)) {
                int codePoint = Character.toCodePoint(high, c);
                buffer[length++] = (byte) (0xF0 | codePoint >> 18);
                buffer[length++] = (byte) (0x80 | (codePoint >> 12 & 0x3F));
                buffer[length++] = (byte) (0x80 | (codePoint >> 6 & 0x3F));
                buffer[length++] = (byte) (0x80 | (codePoint & 0x3F));
                return;
            }
            buffer[length++] = '?';
        }
        if (c < 0x80) {
            buffer[length++] = (byte) c;
        } else if (c < 0x800) {
            buffer[length++] = (byte) (0xC0 | c >> 6);
            buffer[length++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)) {
            pendingHigh = c;
        } else if (Character.isLowSurrogate(c)) {
            buffer[length++] = '?';
        } else {
            buffer[length++] = (byte) (0xE0 | c >> 12);
            buffer[length++] = (byte) (0x80 | (c >> 6 & 0x3F));
            buffer[length++] = (byte) (0x80 | (c & 0x3F));
        }
    }

    private void drain() throws IOException {
        if (length > 0) {
            out.write(buffer, 0, length);
            length = 0;
        }
    }

    /** Writes what is encoded; a high surrogate still waiting for its low half stays behind. */
    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (pendingHigh != 0) {
            // Room is certain: encode() left at most BUFFER_BYTES - MAX_BYTES_PER_CHAR + 1 bytes
            // when it held the high surrogate back.
            pendingHigh = 0;
            buffer[length++] = '?';
        }
        drain();
        out.close();
    }
}
