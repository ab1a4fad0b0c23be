package dev.switchboard.error;

/**
 * Carries a {@link GatewayError} out of pure code (parsers, mappers, the router). It has no stack
 * trace: it is an expected outcome of bad input, not a bug, and it is thrown on hot paths.
 */
public final class GatewayException extends RuntimeException {
    private final transient GatewayError error;

    public GatewayException(GatewayError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public GatewayError error() {
        return error;
    }
}
