package dev.switchboard.error;

/**
 * The one table of errors the gateway answers with: HTTP status, OpenAI error {@code type} and
 * {@code code}, and whether another attempt (same or next target) may succeed. Stateless.
 *
 * <p>Types and codes follow OpenAI's observed responses (docs/protocols/openai-chat.md §7.2) so that the
 * official SDKs raise the matching exception class.
 */
public enum ErrorKind {
    INVALID_REQUEST(400, "invalid_request_error", null, false),
    INVALID_JSON(400, "invalid_request_error", "invalid_json", false),
    UNSUPPORTED_PARAMETER(400, "invalid_request_error", "unsupported_parameter", false),
    INVALID_API_KEY(401, "invalid_request_error", "invalid_api_key", false),
    PERMISSION_DENIED(403, "permission_error", "permission_denied", false),
    MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found", false),
    NOT_FOUND(404, "invalid_request_error", "not_found", false),
    METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed", false),
    REQUEST_TOO_LARGE(413, "invalid_request_error", "request_too_large", false),
    RATE_LIMITED(429, "rate_limit_error", "rate_limit_exceeded", true),
    INTERNAL(500, "server_error", "internal_error", false),
    UPSTREAM_ERROR(502, "server_error", "upstream_error", true),
    UPSTREAM_UNREACHABLE(502, "server_error", "upstream_unreachable", true),
    UPSTREAM_PROTOCOL(502, "server_error", "upstream_protocol_error", false),
    UPSTREAM_OVERLOADED(503, "server_error", "upstream_overloaded", true),
    SHUTTING_DOWN(503, "server_error", "shutting_down", false),
    UPSTREAM_TIMEOUT(504, "server_error", "upstream_timeout", true);

    private final int status;
    private final String type;
    private final String code;
    private final boolean retryable;

    ErrorKind(int status, String type, String code, boolean retryable) {
        this.status = status;
        this.type = type;
        this.code = code;
        this.retryable = retryable;
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

    public boolean retryable() {
        return retryable;
    }

    /** An error of this kind with the given message and no {@code param}. */
    public GatewayError error(String message) {
        return new GatewayError(status, type, code, null, message, retryable, null);
    }

    /** An error of this kind naming the offending request field in {@code param}. */
    public GatewayError error(String param, String message) {
        return new GatewayError(status, type, code, param, message, retryable, null);
    }

    public GatewayException exception(String message) {
        return new GatewayException(error(message));
    }

    public GatewayException exception(String param, String message) {
        return new GatewayException(error(param, message));
    }
}
