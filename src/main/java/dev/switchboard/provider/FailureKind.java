package dev.switchboard.provider;

import dev.switchboard.error.ErrorKind;

/**
 * What went wrong with one attempt, as routing needs to know it: whether the same target may be
 * tried again, whether the failure counts against the target's cooldown, and how much it tells
 * the client when every target failed (docs/routing.md). Derived from the error's
 * {@link ErrorKind} in one place ({@link #of}), so no layer reads meaning back out of codes or
 * statuses.
 */
public enum FailureKind {
    /** The request itself is at fault (a 400 of the provider's or of the mapper's): answered as it is. */
    CLIENT_ERROR(false, false, 0, "client_error"),
    /** The provider refused Switchboard's own key, permissions or billing: not this target again. */
    ACCOUNT_REFUSED(false, true, 1, "auth_error"),
    /** The provider's answer cannot be used and another try on it will not mend it; another target may answer. */
    BAD_RESPONSE(false, true, 3, "server_error"),
    UNREACHABLE(true, true, 1, "unreachable"),
    TIMEOUT(true, true, 2, "timeout"),
    SERVER_ERROR(true, true, 3, "server_error"),
    OVERLOADED(true, true, 4, "overloaded"),
    RATE_LIMITED(true, true, 5, "rate_limited"),
    /** Switchboard's own failure (a bug, a shutdown): answered as it is, the target not blamed. */
    GATEWAY(false, false, 0, "gateway_error");

    private final boolean retryable;
    private final boolean targetFault;
    private final int weight;
    private final String label;

    FailureKind(boolean retryable, boolean targetFault, int weight, String label) {
        this.retryable = retryable;
        this.targetFault = targetFault;
        this.weight = weight;
        this.label = label;
    }

    /** Whether the same target may be tried again after a wait. */
    public boolean retryable() {
        return retryable;
    }

    /**
     * Whether the request may go on to another target after this failure: always, unless the
     * request itself is at fault or the gateway failed. An unusable answer or a refused account
     * is not tried again on the same target (not {@link #retryable}), but another target may well
     * answer (docs/routing.md#retries).
     */
    public boolean movesOn() {
        return this != CLIENT_ERROR && this != GATEWAY;
    }

    /** Whether the failure counts toward the target's cooldown. */
    public boolean targetFault() {
        return targetFault;
    }

    /**
     * How much the failure tells the client, when every target failed and one failure must be
     * the answer: a rate limit first (the client can act on its Retry-After), then an overloaded
     * provider, one that failed, a timeout, and last one that could not be reached.
     */
    public int weight() {
        return weight;
    }

    /** The value of the {@code outcome} label in the metrics. */
    public String label() {
        return label;
    }

    /** The kind of failure an error of {@code kind} stands for. */
    public static FailureKind of(ErrorKind kind) {
        return switch (kind) {
            case UPSTREAM_RATE_LIMITED -> RATE_LIMITED;
            case UPSTREAM_OVERLOADED -> OVERLOADED;
            case UPSTREAM_ERROR -> SERVER_ERROR;
            case UPSTREAM_TIMEOUT -> TIMEOUT;
            case UPSTREAM_UNREACHABLE -> UNREACHABLE;
            case UPSTREAM_AUTHENTICATION, UPSTREAM_PERMISSION, UPSTREAM_BILLING -> ACCOUNT_REFUSED;
            case UPSTREAM_BAD_RESPONSE, UPSTREAM_PROTOCOL -> BAD_RESPONSE;
            case INVALID_REQUEST, INVALID_JSON, UNSUPPORTED_PARAMETER, MODEL_NOT_FOUND, NOT_FOUND,
                    REQUEST_TOO_LARGE, UPSTREAM_REJECTED -> CLIENT_ERROR;
            case INVALID_API_KEY, PERMISSION_DENIED, METHOD_NOT_ALLOWED, REQUEST_TIMEOUT, REQUESTS_PER_MINUTE,
                    TOKENS_PER_MINUTE, TOO_MANY_CONCURRENT, INSUFFICIENT_QUOTA, INTERNAL, OVERLOADED, SHUTTING_DOWN,
                    LIMITS_UNAVAILABLE, IDENTITY_PROVIDER_UNAVAILABLE, STREAM_TOO_LONG -> GATEWAY;
        };
    }
}
