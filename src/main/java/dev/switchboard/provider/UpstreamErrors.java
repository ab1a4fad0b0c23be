package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.upstream.UpstreamFailure;

/**
 * The errors every HTTP connector shares: transport failures, timeouts and upstream statuses no
 * protocol explains. Messages name the provider by its configured id and never carry its key.
 * Stateless.
 */
public final class UpstreamErrors {
    private UpstreamErrors() {
    }

    public static GatewayError transport(ProviderConfig provider, UpstreamFailure failure) {
        String name = "provider '" + provider.id() + "'";
        return switch (failure.kind()) {
            case CONNECT_REFUSED -> ErrorKind.UPSTREAM_UNREACHABLE.error(
                    "Switchboard could not connect to " + name + ": " + failure.detail());
            case UNKNOWN_HOST -> ErrorKind.UPSTREAM_UNREACHABLE.error(
                    "Switchboard could not resolve the host of " + name + ": " + failure.detail());
            case CONNECT_TIMEOUT -> ErrorKind.UPSTREAM_TIMEOUT.error(
                    "Connecting to " + name + " timed out.");
            case TLS -> ErrorKind.UPSTREAM_UNREACHABLE.error(
                    "The TLS handshake with " + name + " failed: " + failure.detail());
            case CLOSED -> ErrorKind.UPSTREAM_ERROR.error(
                    capitalise(name) + " closed the connection before the response was complete.");
            case TIMEOUT -> ErrorKind.UPSTREAM_TIMEOUT.error(capitalise(name) + " timed out.");
            case OTHER -> ErrorKind.UPSTREAM_ERROR.error(
                    "The request to " + name + " failed: " + failure.detail());
        };
    }

    public static GatewayError firstByteTimeout(ProviderConfig provider, long millis) {
        return ErrorKind.UPSTREAM_TIMEOUT.error("Provider '" + provider.id() + "' did not answer within "
                + millis + " ms.");
    }

    public static GatewayError idleTimeout(ProviderConfig provider, long millis) {
        // Not retryable: by the time a stream goes idle it has usually reached the client.
        return new GatewayError(504, "server_error", "upstream_timeout", null, "Provider '" + provider.id()
                + "' sent nothing for " + millis + " ms in the middle of its stream.", false, null);
    }

    public static GatewayError unreadable(ProviderConfig provider, String what) {
        return ErrorKind.UPSTREAM_PROTOCOL.error("Provider '" + provider.id() + "' sent " + what
                + " that Switchboard could not read.");
    }

    public static GatewayError cutShort(ProviderConfig provider) {
        return ErrorKind.UPSTREAM_ERROR.error("Provider '" + provider.id()
                + "' ended its stream before the response was complete.");
    }

    /**
     * Maps an upstream HTTP status to the client's status, keeping 4xx as they are (the client's
     * request is at fault) and turning 5xx into a gateway error (502, 504 for a timeout, 503 for
     * the non-standard 529 "overloaded"). A 3xx is a 502 as well: redirects are never followed,
     * so one reaching us means a misconfigured {@code baseUrl}, and passing its status on would
     * send the client a redirect without a {@code Location}.
     */
    public static GatewayError forStatus(ProviderConfig provider, int status, String type, String code,
                                         String param, String upstreamMessage, String retryAfter) {
        String message = upstreamMessage == null || upstreamMessage.isBlank()
                ? "Provider '" + provider.id() + "' answered HTTP " + status + "." : withoutKey(provider, upstreamMessage);
        if (status == 401 || status == 403) {
            // The provider refused the gateway's own credential: say so, or the client would
            // think its Switchboard token is wrong.
            return new GatewayError(status, status == 401 ? "authentication_error" : "permission_error",
                    "upstream_" + (status == 401 ? "authentication" : "permission") + "_error", null,
                    "Provider '" + provider.id() + "' rejected the credentials Switchboard sent (HTTP " + status
                            + "); check the provider's apiKey in the Switchboard configuration. Provider said: "
                            + message, false, null);
        }
        if (status == 429) {
            return new GatewayError(429, type == null ? "rate_limit_error" : type,
                    code == null ? "rate_limit_exceeded" : code, param, message, true, retryAfter);
        }
        if (status >= 400 && status < 500) {
            boolean retryable = status == 408;
            return new GatewayError(status, type == null ? "invalid_request_error" : type, code, param, message,
                    retryable, null);
        }
        String withProvider = "Provider '" + provider.id() + "' failed (HTTP " + status + "): " + message;
        if (status == 504) {
            return ErrorKind.UPSTREAM_TIMEOUT.error(withProvider);
        }
        if (status == 529) {
            return ErrorKind.UPSTREAM_OVERLOADED.error(withProvider).withRetryAfter(retryAfter);
        }
        GatewayError error = ErrorKind.UPSTREAM_ERROR.error(withProvider);
        boolean retryable = status == 500 || status == 502 || status == 503;
        return new GatewayError(error.status(), error.type(), error.code(), null, withProvider, retryable, retryAfter);
    }

    /**
     * The upstream's message with the provider key cut out: some OpenAI-compatible servers quote
     * the key they were sent when they reject it, and the client must never see the gateway's
     * own credential.
     */
    private static String withoutKey(ProviderConfig provider, String text) {
        String key = provider.apiKey();
        return key == null || key.isEmpty() ? text : text.replace(key, "<redacted>");
    }

    private static String capitalise(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
