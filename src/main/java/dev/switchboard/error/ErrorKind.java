package dev.switchboard.error;

/**
 * The one table of errors the gateway answers with: what each is, with its HTTP status and OpenAI
 * error {@code type} and {@code code}. Whether another attempt may help is not the error's to say:
 * routing decides that from the failure's kind (docs/routing.md). Stateless.
 *
 * <p>Types and codes follow OpenAI's observed responses (docs/protocols/openai-chat.md §7.2) so
 * that the official SDKs raise the matching exception class. An error relayed from a provider
 * ({@link #relayed}) keeps the provider's own type and code where it gave them.
 */
public enum ErrorKind {
    INVALID_REQUEST(400, "invalid_request_error", null),
    INVALID_JSON(400, "invalid_request_error", "invalid_json"),
    UNSUPPORTED_PARAMETER(400, "invalid_request_error", "unsupported_parameter"),
    INVALID_API_KEY(401, "invalid_request_error", "invalid_api_key"),
    PERMISSION_DENIED(403, "permission_error", "permission_denied"),
    MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
    NOT_FOUND(404, "invalid_request_error", "not_found"),
    METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed"),
    /** The client sent its body too slowly, or stopped sending it. */
    REQUEST_TIMEOUT(408, "invalid_request_error", "request_timeout"),
    REQUEST_TOO_LARGE(413, "invalid_request_error", "request_too_large"),
    /** The token's own requests-per-minute budget; OpenAI names the budget in {@code type}. */
    REQUESTS_PER_MINUTE(429, "requests", "rate_limit_exceeded"),
    /** The token's own tokens-per-minute budget. */
    TOKENS_PER_MINUTE(429, "tokens", "rate_limit_exceeded"),
    /**
     * A token's or its team's spending budget is spent (docs/spend.md#budgets): OpenAI's own
     * answer for an account out of credit, which its SDKs raise as a RateLimitError and, told
     * {@code x-should-retry: false}, do not retry.
     */
    INSUFFICIENT_QUOTA(429, "insufficient_quota", "insufficient_quota"),
    /** The token has as many requests in flight as it may. */
    TOO_MANY_CONCURRENT(429, "rate_limit_error", "concurrency_limit_exceeded"),
    INTERNAL(500, "server_error", "internal_error"),
    /** The provider refused the request itself (a 4xx of its own): the client's to fix. */
    UPSTREAM_REJECTED(400, "invalid_request_error", null),
    /** The provider refused the key Switchboard sent. */
    UPSTREAM_AUTHENTICATION(401, "authentication_error", "upstream_authentication_error"),
    /** The provider refused the request for the billing of the account Switchboard uses. */
    UPSTREAM_BILLING(402, "billing_error", "upstream_billing_error"),
    /** The provider refused the key's permissions. */
    UPSTREAM_PERMISSION(403, "permission_error", "upstream_permission_error"),
    UPSTREAM_RATE_LIMITED(429, "rate_limit_error", "rate_limit_exceeded"),
    /** A provider that failed (a 500, a dropped connection, a cut stream): another try may do. */
    UPSTREAM_ERROR(502, "server_error", "upstream_error"),
    /** A provider answer that another try will not mend: a redirect, a 501, an error inside its stream. */
    UPSTREAM_BAD_RESPONSE(502, "server_error", "upstream_error"),
    UPSTREAM_UNREACHABLE(502, "server_error", "upstream_unreachable"),
    /** A reply Switchboard could not read. */
    UPSTREAM_PROTOCOL(502, "server_error", "upstream_protocol_error"),
    UPSTREAM_OVERLOADED(503, "server_error", "upstream_overloaded"),
    /** Every exchange in flight the gateway may hold is taken. */
    OVERLOADED(503, "server_error", "overloaded"),
    SHUTTING_DOWN(503, "server_error", "shutting_down"),
    /** The store that counts the token's limits does not answer, and the configuration says to refuse then. */
    LIMITS_UNAVAILABLE(503, "server_error", "limits_unavailable"),
    /** The identity provider that issued the caller's JWT has never answered for its keys, so it cannot be checked. */
    IDENTITY_PROVIDER_UNAVAILABLE(503, "server_error", "identity_provider_unavailable"),
    UPSTREAM_TIMEOUT(504, "server_error", "upstream_timeout"),
    /** A stream ran longer than {@code requests.maxStreamMs} (docs/hostile-clients.md#concurrency-caps). */
    STREAM_TOO_LONG(504, "server_error", "stream_time_limit");

    private final int status;
    private final String type;
    private final String code;

    ErrorKind(int status, String type, String code) {
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    /** An error of this kind with the given message and no {@code param}. */
    public GatewayError error(String message) {
        return new GatewayError(this, status, type, code, null, message, null);
    }

    /** An error of this kind naming the offending request field in {@code param}. */
    public GatewayError error(String param, String message) {
        return new GatewayError(this, status, type, code, param, message, null);
    }

    /**
     * An error of this kind as a provider reported it: the provider's status, and its type and
     * code where it gave them (this kind's otherwise).
     */
    public GatewayError relayed(int relayedStatus, String relayedType, String relayedCode, String param,
                                String message) {
        return new GatewayError(this, relayedStatus, relayedType == null ? type : relayedType,
                relayedCode == null ? code : relayedCode, param, message, null);
    }

    public GatewayException exception(String message) {
        return new GatewayException(error(message));
    }

    public GatewayException exception(String param, String message) {
        return new GatewayException(error(param, message));
    }
}
