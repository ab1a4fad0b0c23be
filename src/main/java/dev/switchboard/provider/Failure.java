package dev.switchboard.provider;

import dev.switchboard.error.GatewayError;

/**
 * How one attempt failed: its kind, for routing; the error the client gets if it is the answer;
 * and how long the provider asked to be left alone. Immutable.
 *
 * @param retryAfterMillis the provider's wait before another try, or {@link #UNKNOWN}
 */
public record Failure(FailureKind kind, GatewayError error, long retryAfterMillis) {
    /** The provider did not say how long to wait. */
    public static final long UNKNOWN = -1;

    /** The failure an error stands for, with no wait given. */
    public static Failure of(GatewayError error) {
        return new Failure(FailureKind.of(error.kind()), error, UNKNOWN);
    }

    /** The failure an error stands for, with the provider's wait. */
    public static Failure of(GatewayError error, long retryAfterMillis) {
        return new Failure(FailureKind.of(error.kind()), error, retryAfterMillis);
    }

    public Failure withError(GatewayError replaced) {
        return new Failure(kind, replaced, retryAfterMillis);
    }
}
