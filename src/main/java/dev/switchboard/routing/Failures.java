package dev.switchboard.routing;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.UpstreamErrors;

/**
 * Judges failures for routing: whether one counts against the target, and which of several says
 * the most to the client. Stateless.
 */
final class Failures {
    static final String OK = "ok";
    static final String CANCELLED = "cancelled";

    private Failures() {
    }

    /** The fixed set of attempt outcomes the metrics count (see {@link AttemptObserver}). */
    static String outcome(GatewayError error) {
        int status = error.status();
        if (status == 429) {
            return "rate_limited";
        }
        if (UpstreamErrors.isAccountRefusal(error)) {
            return "auth_error";
        }
        if (status == 504 || ErrorKind.UPSTREAM_TIMEOUT.code().equals(error.code())) {
            return "timeout";
        }
        if (ErrorKind.UPSTREAM_UNREACHABLE.code().equals(error.code())) {
            return "unreachable";
        }
        return status >= 500 ? "server_error" : "client_error";
    }

    /**
     * Whether the failure is the target's (it counts toward its cooldown): anything worth retrying,
     * and a provider refusing the gateway's own account, which will not get better by itself: its
     * key (401), the key's permissions (403) or the account's billing (402, Anthropic's
     * billing_error). A client error (400, 404, 422) is the request's, and counts neither way.
     */
    static boolean isTargetFault(GatewayError error) {
        return error.retryable() || UpstreamErrors.isAccountRefusal(error) || error.status() >= 500;
    }

    /**
     * How much a failure tells the client, to pick the one to answer with when every target
     * failed: a rate limit first (the client can act on its Retry-After), then an overloaded or
     * failing provider that answered, then a timeout, then a provider that could not be reached.
     * Ties go to the later failure.
     */
    static int rank(GatewayError error) {
        if (error.status() == 429) {
            return 5;
        }
        if (ErrorKind.UPSTREAM_OVERLOADED.code().equals(error.code())) {
            return 4;
        }
        if (ErrorKind.UPSTREAM_ERROR.code().equals(error.code())) {
            return 3;
        }
        if (error.status() == 504) {
            return 2;
        }
        return 1;
    }

    static GatewayError nothingAvailable(String requested) {
        return ErrorKind.UPSTREAM_UNREACHABLE.error("No target of '" + requested + "' could be tried.");
    }
}
