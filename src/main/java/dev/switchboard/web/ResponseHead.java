package dev.switchboard.web;

import java.util.List;

/**
 * The status and headers of a client response, applied before its first byte. Immutable.
 *
 * @param contentLength the body's length, or -1 for a stream
 */
record ResponseHead(int status, String contentType, long contentLength, List<HeaderField> headers) {
    ResponseHead {
        headers = List.copyOf(headers);
    }
}
