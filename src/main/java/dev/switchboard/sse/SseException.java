package dev.switchboard.sse;

/** The peer's event stream broke a limit the parser enforces. */
public final class SseException extends RuntimeException {
    public SseException(String message) {
        super(message, null, false, false);
    }
}
