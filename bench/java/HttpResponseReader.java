import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Incremental reader of one HTTP/1.1 response at a time: status line and headers, then a body
 * delimited by {@code Content-Length} or chunked transfer encoding. It hands body bytes over as
 * they arrive, which is what time-to-first-byte and stall detection need. Per connection;
 * {@link #reset()} before the next response on the same connection.
 */
final class HttpResponseReader {
    /** Receives the decoded body (chunk framing removed) as it arrives. */
    interface Body {
        void data(byte[] bytes, int offset, int length);
    }

    private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, DONE }

    private static final int MAX_HEAD = 16 * 1024;

    private final byte[] head = new byte[MAX_HEAD];
    private State state = State.HEAD;
    private int headLength;
    private int status;
    private long remaining;
    private boolean inChunkExtension;
    private int trailerLineLength;
    private boolean closes;

    void reset() {
        state = State.HEAD;
        headLength = 0;
        status = 0;
        remaining = 0;
        inChunkExtension = false;
        trailerLineLength = 0;
        closes = false;
    }

    boolean isDone() {
        return state == State.DONE;
    }

    int status() {
        return status;
    }

    /** The server said {@code Connection: close}: the next request needs a new connection. */
    boolean closesConnection() {
        return closes;
    }

    /**
     * Reads from {@code bytes} up to the end of the current response.
     *
     * @return how many bytes were consumed
     * @throws IllegalStateException if the response is not HTTP/1.1 this reader understands
     */
    int feed(byte[] bytes, int offset, int length, Body body) {
        int i = offset;
        int end = offset + length;
        while (i < end && state != State.DONE) {
            switch (state) {
                case HEAD -> {
                    if (headLength == MAX_HEAD) {
                        throw new IllegalStateException("response head larger than " + MAX_HEAD + " bytes");
                    }
                    byte b = bytes[i++];
                    head[headLength++] = b;
                    if (b == '\n' && headLength >= 4 && head[headLength - 2] == '\r' && head[headLength - 3] == '\n'
                            && head[headLength - 4] == '\r') {
                        parseHead();
                    }
                }
                case FIXED, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    body.data(bytes, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = state == State.FIXED ? State.DONE : State.CHUNK_END;
                    }
                }
                case CHUNK_SIZE -> {
                    byte b = bytes[i++];
                    if (b == '\n') {
                        state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
                        inChunkExtension = false;
                    } else if (!inChunkExtension) {
                        int digit = Character.digit(b, 16);
                        if (digit >= 0) {
                            remaining = remaining * 16 + digit;
                        } else {
                            // ';' starts a chunk extension, '\r' ends the line: ignore up to the LF.
                            inChunkExtension = true;
                        }
                    }
                }
                case CHUNK_END -> {
                    if (bytes[i++] == '\n') {
                        state = State.CHUNK_SIZE;
                    }
                }
                case TRAILER -> {
                    byte b = bytes[i++];
                    if (b == '\n') {
                        if (trailerLineLength == 0) {
                            state = State.DONE;
                        }
                        trailerLineLength = 0;
                    } else if (b != '\r') {
                        trailerLineLength++;
                    }
                }
                default -> throw new IllegalStateException(state.toString());
            }
        }
        return i - offset;
    }

    private void parseHead() {
        String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
            throw new IllegalStateException("not an HTTP/1.1 response: " + text.lines().findFirst().orElse(""));
        }
        status = Integer.parseInt(text.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            } else if (name.equals("connection") && value.toLowerCase(Locale.ROOT).contains("close")) {
                closes = true;
            }
        }
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength > 0) {
            state = State.FIXED;
            remaining = contentLength;
        } else if (contentLength == 0 || status == 204 || status == 304) {
            state = State.DONE;
        } else {
            throw new IllegalStateException("response " + status + " has neither Content-Length nor chunked encoding");
        }
    }
}
