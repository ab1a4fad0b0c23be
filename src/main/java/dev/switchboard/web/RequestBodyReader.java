package dev.switchboard.web;

import dev.switchboard.error.ErrorKind;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a request body without blocking a container thread (Jakarta Servlet 6.0 §5.7), into one
 * array that grows with what has arrived and never past the configured limit: a body over the
 * limit is refused with 413 as soon as the limit is crossed, not after it has been buffered. Per
 * request.
 */
final class RequestBodyReader implements ReadListener {
    static final int INITIAL_BUFFER_BYTES = 16 * 1024;
    /**
     * Most that a declared Content-Length reserves before the bytes arrive: a client that
     * announces 32 MiB and sends slowly (or never) must not hold 32 MiB per connection.
     */
    static final int MAX_PRESIZED_BYTES = 1024 * 1024;

    private final ServletInputStream in;
    private final long maxBytes;
    /**
     * Largest the buffer needs to become: the declared length (the container delivers no more),
     * or one byte past the limit, which is enough to know a body of unknown length is too large.
     */
    private final long ceiling;
    private final ChatExchange exchange;
    private byte[] buffer;
    private int length;
    private boolean refused;

    RequestBodyReader(ServletInputStream in, long contentLength, long maxBytes, ChatExchange exchange) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.ceiling = contentLength >= 0 ? Math.min(contentLength, maxBytes + 1) : maxBytes + 1;
        this.exchange = exchange;
        int initial = contentLength >= 0 ? (int) Math.min(Math.min(contentLength, maxBytes), MAX_PRESIZED_BYTES)
                : INITIAL_BUFFER_BYTES;
        this.buffer = new byte[Math.max(initial, 1)];
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!refused && in.isReady()) {
            if (length == buffer.length) {
                if (in.isFinished()) {
                    return;
                }
                long grown = Math.min(Math.max((long) buffer.length * 2, INITIAL_BUFFER_BYTES),
                        Math.max(ceiling, buffer.length + 1L));
                buffer = Arrays.copyOf(buffer, (int) grown);
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                return;
            }
            length += read;
            if (length > maxBytes) {
                refused = true;
                buffer = null;
                exchange.fail(ErrorKind.REQUEST_TOO_LARGE.error("The request body is larger than the "
                        + maxBytes + "-byte limit."));
            }
        }
    }

    @Override
    public void onAllDataRead() {
        if (!refused) {
            exchange.onBody(buffer, length);
        }
    }

    @Override
    public void onError(Throwable t) {
        exchange.onConnectionError();
    }
}
