package dev.switchboard.upstream;

/**
 * Why an upstream exchange failed at the transport level, reduced to what routing decisions and
 * error messages need. {@code detail} never contains request headers.
 */
public record UpstreamFailure(Kind kind, String detail) {
    public enum Kind {
        CONNECT_REFUSED,
        CONNECT_TIMEOUT,
        UNKNOWN_HOST,
        TLS,
        /** The connection was reset or closed before the response was complete. */
        CLOSED,
        TIMEOUT,
        OTHER
    }
}
