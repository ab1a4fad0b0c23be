package dev.switchboard.provider.http;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.upstream.UpstreamFailure;

/**
 * The errors every HTTP connector shares: transport failures, timeouts, and the mapping of
 * upstream statuses to the client's. A connector whose provider reports typed errors classifies
 * them itself and routes the outcome through {@link #forStatus(String, int, String, String, String,
 * String, String, String)}, so that statuses, kinds and wording are the same for every provider.
 * Messages name the provider by its configured id; they carry no exception text, class name or
 * address (those go to the log), and {@link RedactingSink} removes the provider's secrets from
 * whatever the provider said. Shared and stateless.
 */
public final class UpstreamErrors {
    /**
     * Anthropic's non-standard "overloaded" status. It and 503 are the two statuses the shared
     * table reads as an overloaded or unavailable provider.
     */
    public static final int OVERLOADED_STATUS = 529;

    private UpstreamErrors() {
    }

    /** A failure below HTTP. What the exception said is logged by the caller, never sent. */
    public static GatewayError transport(ProviderConfig provider, UpstreamFailure failure) {
        String name = "provider '" + provider.id() + "'";
        return switch (failure.kind()) {
            case CONNECT_REFUSED -> ErrorKind.UPSTREAM_UNREACHABLE.error(
                    "Switchboard could not connect to " + name + ".");
            case UNKNOWN_HOST -> ErrorKind.UPSTREAM_UNREACHABLE.error(
                    "Switchboard could not resolve the host of " + name + ".");
            case CONNECT_TIMEOUT -> ErrorKind.UPSTREAM_TIMEOUT.error(
                    "Connecting to " + name + " timed out.");
            case TLS -> ErrorKind.UPSTREAM_UNREACHABLE.error(
                    "The TLS handshake with " + name + " failed.");
            case CLOSED -> ErrorKind.UPSTREAM_ERROR.error(
                    capitalise(name) + " closed the connection before the response was complete.");
            case TIMEOUT -> ErrorKind.UPSTREAM_TIMEOUT.error(capitalise(name) + " timed out.");
            case OTHER -> ErrorKind.UPSTREAM_ERROR.error("The request to " + name + " failed.");
        };
    }

    public static GatewayError firstByteTimeout(ProviderConfig provider, long millis) {
        return ErrorKind.UPSTREAM_TIMEOUT.error("Provider '" + provider.id() + "' did not answer within "
                + millis + " ms.");
    }

    public static GatewayError idleTimeout(ProviderConfig provider, long millis) {
        return ErrorKind.UPSTREAM_TIMEOUT.error("Provider '" + provider.id()
                + "' sent nothing for " + millis + " ms in the middle of its stream.");
    }

    public static GatewayError unreadable(ProviderConfig provider, String what) {
        return unreadable(provider.id(), what);
    }

    /** A reply or event a translator could not make sense of: a 502 naming the provider. */
    public static GatewayError unreadable(String providerId, String what) {
        return ErrorKind.UPSTREAM_PROTOCOL.error("Provider '" + providerId + "' sent " + what
                + " that Switchboard could not read.");
    }

    public static GatewayError cutShort(ProviderConfig provider) {
        return ErrorKind.UPSTREAM_ERROR.error("Provider '" + provider.id()
                + "' ended its stream before the response was complete.");
    }

    /**
     * Maps an upstream HTTP status to the client's error, keeping 4xx as they are (the client's
     * request is at fault) and turning 5xx into a gateway error (502, 504 for a timeout, 503 for
     * an overloaded or unavailable provider). A 3xx is a 502 as well: redirects are never followed,
     * so one reaching us means a misconfigured {@code baseUrl}, and passing its status on would
     * send the client a redirect without a {@code Location}.
     */
    public static GatewayError forStatus(ProviderConfig provider, int status, String type, String code,
                                         String param, String upstreamMessage, String retryAfter) {
        return forStatus(provider.id(), status, "HTTP " + status, type, code, param, upstreamMessage, retryAfter);
    }

    /**
     * The table behind {@link #forStatus(ProviderConfig, int, String, String, String, String, String)}
     * for connectors that classify their provider's errors first: only the classification is the
     * connector's; kinds, statuses and wording are shared.
     *
     * @param status the HTTP status the error stands for: the upstream's own, or the one the
     *     connector's classification chose when the status says less than the provider's error
     *     type (529 for "overloaded" whatever status carried it; 401 for a bad key reported as a
     *     400) or when there is no status at all (an error inside a 200 stream)
     * @param detail how messages name the failure: {@code HTTP 500}, {@code HTTP 400 API_KEY_INVALID},
     *     {@code overloaded_error}
     * @param type OpenAI's error type for a 4xx, or null for the default
     * @param upstreamMessage the provider's own words, or null or blank when it gave none
     */
    public static GatewayError forStatus(String providerId, int status, String detail, String type, String code,
                                         String param, String upstreamMessage, String retryAfter) {
        String said = upstreamMessage == null || upstreamMessage.isBlank() ? null : upstreamMessage;
        String name = "Provider '" + providerId + "'";
        if (status == 401 || status == 402 || status == 403) {
            return accountRefused(providerId, status, detail, said);
        }
        if (status == 429) {
            return ErrorKind.UPSTREAM_RATE_LIMITED.relayed(429, type, code, param,
                    said != null ? said : name + " answered " + detail + ".").withRetryAfter(retryAfter);
        }
        if (status == 408) {
            // The provider gave up waiting for Switchboard's request: a timeout on our side of it.
            return ErrorKind.UPSTREAM_TIMEOUT.error(name + " timed out reading the request (" + detail + ")"
                    + (said == null ? "." : ": " + said));
        }
        if (status >= 400 && status < 500) {
            return ErrorKind.UPSTREAM_REJECTED.relayed(status, type, code, param,
                    said != null ? said : name + " answered " + detail + ".");
        }
        String failed = name + " failed (" + detail + ")" + (said == null ? "." : ": " + said);
        if (status == 504) {
            return ErrorKind.UPSTREAM_TIMEOUT.error(failed);
        }
        if (overloaded(status)) {
            return ErrorKind.UPSTREAM_OVERLOADED.error(failed).withRetryAfter(retryAfter);
        }
        if (status == 500 || status == 502) {
            return ErrorKind.UPSTREAM_ERROR.error(failed).withRetryAfter(retryAfter);
        }
        return ErrorKind.UPSTREAM_BAD_RESPONSE.error(failed);
    }

    /**
     * One rule for every provider: a 503 (HTTP's "unavailable", Gemini's UNAVAILABLE "the model is
     * overloaded", what OpenAI-compatible servers send when busy) and Anthropic's 529 "overloaded"
     * are the same condition, a provider that is up but cannot take the request now. The client
     * gets a 503 {@code upstream_overloaded} with the provider's Retry-After, whichever provider it
     * was and whatever error type came with the status.
     */
    static boolean overloaded(int status) {
        return status == 503 || status == OVERLOADED_STATUS;
    }

    /**
     * The provider refused the gateway's own account: its key (401), the key's permissions (403)
     * or the account's billing (402). The message says so, or the client would think its
     * Switchboard token is wrong.
     *
     * @param detail how the provider reported it, e.g. {@code HTTP 400 API_KEY_INVALID}
     * @param upstreamMessage the provider's words, quoted after the explanation, or null
     */
    public static GatewayError accountRefused(String providerId, int status, String detail, String upstreamMessage) {
        String name = "Provider '" + providerId + "'";
        String said = upstreamMessage == null || upstreamMessage.isBlank() ? "" : " Provider said: " + upstreamMessage;
        return switch (status) {
            case 401 -> ErrorKind.UPSTREAM_AUTHENTICATION.error(name + " rejected the credentials Switchboard sent ("
                    + detail + "); check the provider's apiKey in the Switchboard configuration." + said);
            case 403 -> ErrorKind.UPSTREAM_PERMISSION.error(name + " rejected the credentials Switchboard sent ("
                    + detail + "); check the provider's apiKey in the Switchboard configuration." + said);
            case 402 -> ErrorKind.UPSTREAM_BILLING.error(name + " refused the request for a billing problem on the"
                    + " account Switchboard uses (" + detail + "); check that account with the provider." + said);
            default -> throw new IllegalArgumentException("not an account status: " + status);
        };
    }

    /**
     * An upstream body that is not the provider's error JSON (an HTML page from a proxy, plain
     * text), to quote to the client: trimmed; null when there is nothing to quote. Not cut here:
     * {@link RedactingSink} cuts messages, after it has removed the secrets.
     */
    public static String quoteBody(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static String capitalise(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
