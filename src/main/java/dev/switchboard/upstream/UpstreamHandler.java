package dev.switchboard.upstream;

import java.nio.ByteBuffer;

/**
 * Receives one upstream exchange. Calls arrive on an I/O thread, one at a time, in order:
 * {@code onResponse}, then {@code onData}* and {@code onEnd}; or {@code onFailure} at any point.
 * Nothing here may block: it runs on the thread that serves every other upstream connection.
 */
public interface UpstreamHandler {
    void onResponse(UpstreamResponse response);

    /**
     * A piece of the body, which must be consumed entirely before returning.
     *
     * @return true to keep reading; false to stop reading from the socket until
     *     {@link UpstreamCall#resume()} (back-pressure from a slow client)
     */
    boolean onData(ByteBuffer data);

    void onEnd();

    void onFailure(UpstreamFailure failure);
}
