package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.UpstreamErrors;
import org.junit.jupiter.api.Test;

/** Which failures count against a target's cooldown. */
class FailuresTest {
    @Test
    void aProviderRefusingTheGatewaysAccountIsTheTargetsFault() {
        // Key, permissions, billing: none gets better by itself, and every client would hit it.
        for (int status : new int[] {401, 402, 403}) {
            GatewayError refused = UpstreamErrors.accountRefused("anthropic", status, "HTTP " + status, "no");

            assertThat(refused.retryable()).isFalse();
            assertThat(Failures.isTargetFault(refused)).as("HTTP %d", status).isTrue();
        }
    }

    @Test
    void serverTroubleAndRateLimitsAreTheTargetsFault() {
        assertThat(Failures.isTargetFault(ErrorKind.UPSTREAM_ERROR.error("boom"))).isTrue();
        assertThat(Failures.isTargetFault(ErrorKind.UPSTREAM_OVERLOADED.error("busy"))).isTrue();
        assertThat(Failures.isTargetFault(ErrorKind.UPSTREAM_PROTOCOL.error("garbled"))).isTrue();
        assertThat(Failures.isTargetFault(ErrorKind.RATE_LIMITED.error("slow down"))).isTrue();
    }

    @Test
    void aClientErrorIsNotTheTargetsFault() {
        assertThat(Failures.isTargetFault(ErrorKind.INVALID_REQUEST.error("messages", "bad"))).isFalse();
        assertThat(Failures.isTargetFault(ErrorKind.MODEL_NOT_FOUND.error("model", "no such model"))).isFalse();
        assertThat(Failures.isTargetFault(new GatewayError(422, "invalid_request_error", null, null, "no", false, null)))
                .isFalse();
    }
}
