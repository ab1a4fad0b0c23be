package dev.switchboard.state;

/**
 * Redis did not answer and the node is configured to refuse then ({@code redis.onFailure}
 * {@code reject}), or it is not connected yet. Carries no stack trace: it is an expected outcome,
 * thrown once and shared. Immutable.
 */
public final class StoreUnavailable extends RuntimeException {
    static final StoreUnavailable INSTANCE = new StoreUnavailable();

    private StoreUnavailable() {
        super("Redis does not answer", null, false, false);
    }
}
