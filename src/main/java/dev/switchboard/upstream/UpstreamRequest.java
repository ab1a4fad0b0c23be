package dev.switchboard.upstream;

import java.net.URI;
import java.util.List;

/**
 * One upstream HTTP call: always a POST with a JSON body, which is all the providers need.
 * Immutable.
 *
 * @param headers name/value pairs in order; the provider key travels here and nowhere else
 * @param connectTimeoutMs how long establishing the connection may take
 */
public record UpstreamRequest(URI uri, List<Header> headers, byte[] body, long connectTimeoutMs) {
    public UpstreamRequest {
        headers = List.copyOf(headers);
    }

    /** One request header. */
    public record Header(String name, String value) {
        @Override
        public String toString() {
            // Header values may be credentials; never print them.
            return name + ": <redacted>";
        }
    }

    @Override
    public String toString() {
        return "UpstreamRequest[POST " + uri + ", " + body.length + " bytes]";
    }
}
