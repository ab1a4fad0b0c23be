package dev.switchboard.provider.anthropic;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Anthropic errors, from a non-2xx body or an in-stream {@code error} event, as the client's
 * OpenAI-shaped error (openai-to-anthropic.md §8; anthropic-messages.md §7). The
 * {@code error.type} decides, the HTTP status only when the type is missing or unknown, because an
 * in-stream error arrives after a 200. Anthropic's message is kept; for failures that are the
 * gateway's (credentials, billing, server errors) the message names the provider. Shared and stateless.
 */
final class AnthropicErrors {
    /** The longest non-JSON error body quoted to the client. */
    static final int MAX_QUOTED_BODY = 500;
    /** Anthropic's wording for a context overflow: "prompt is too long: 210000 tokens > 200000 maximum". */
    static final String PROMPT_TOO_LONG = "prompt is too long";
    /** Anthropic's non-standard "overloaded" status. */
    static final int OVERLOADED_STATUS = 529;

    private AnthropicErrors() {
    }

    /** A non-2xx response: Anthropic's {@code {"type":"error","error":{type,message}}}, or whatever came. */
    static GatewayError fromResponse(String providerId, int status, byte[] body, int length, String retryAfter) {
        String text = new String(body, 0, length, StandardCharsets.UTF_8).trim();
        String type = null;
        String message;
        try {
            JsonObject error = JsonFields.object(Json.parseObject(text), "error");
            type = JsonFields.string(error, "type");
            message = JsonFields.string(error, "message");
        } catch (RuntimeException notJson) {
            // An HTML page from a proxy, or an empty body: quote its beginning.
            message = text.length() <= MAX_QUOTED_BODY ? text : text.substring(0, MAX_QUOTED_BODY) + "…";
        }
        return map(providerId, status, type, message, retryAfter);
    }

    /** The data of an {@code event: error} that arrived inside a 200 stream. */
    static GatewayError fromStreamEvent(String providerId, JsonObject data) {
        JsonObject error = JsonFields.object(data, "error");
        String type = JsonFields.string(error, "type");
        return map(providerId, statusOf(type), type, JsonFields.string(error, "message"), null);
    }

    static GatewayError map(String providerId, int status, String type, String message, String retryAfter) {
        String kind = type != null && statusOf(type) != 0 ? type : typeOf(status);
        String said = message == null || message.isBlank() ? "(no message)" : message;
        String provider = "Provider '" + providerId + "'";
        return switch (kind) {
            case "invalid_request_error" -> said.toLowerCase(Locale.ROOT).contains(PROMPT_TOO_LONG)
                    ? new GatewayError(400, "invalid_request_error", "context_length_exceeded", "messages", said, false, null)
                    : new GatewayError(status >= 400 && status < 500 ? status : 400, "invalid_request_error", null, null,
                            said, false, null);
            case "request_too_large" -> ErrorKind.REQUEST_TOO_LARGE.error(said);
            case "not_found_error" -> said.toLowerCase(Locale.ROOT).contains("model")
                    ? ErrorKind.MODEL_NOT_FOUND.error("model", said) : ErrorKind.NOT_FOUND.error(said);
            // The provider refused the gateway's own key or account: saying so keeps the client
            // from doubting its Switchboard token (same wording as UpstreamErrors.forStatus).
            case "authentication_error" -> new GatewayError(401, "authentication_error", "upstream_authentication_error",
                    null, provider + " rejected the credentials Switchboard sent; check the provider's apiKey in the"
                            + " Switchboard configuration. Provider said: " + said, false, null);
            case "permission_error" -> new GatewayError(403, "permission_error", "upstream_permission_error", null,
                    provider + " refused the request for the API key Switchboard sent (permission_error); check that"
                            + " key's access in the provider's console. Provider said: " + said, false, null);
            case "billing_error" -> new GatewayError(402, "billing_error", "upstream_billing_error", null,
                    provider + " refused the request for a billing problem on the account Switchboard uses."
                            + " Provider said: " + said, false, null);
            case "rate_limit_error" -> ErrorKind.RATE_LIMITED.error(said).withRetryAfter(retryAfter);
            case "timeout_error" -> ErrorKind.UPSTREAM_TIMEOUT.error(provider + " timed out (timeout_error): " + said);
            case "overloaded_error" -> ErrorKind.UPSTREAM_OVERLOADED.error(provider + " is overloaded (overloaded_error): "
                    + said).withRetryAfter(retryAfter);
            default -> ErrorKind.UPSTREAM_ERROR.error(provider + " failed (" + (type != null ? type : kind) + "): " + said);
        };
    }

    /** The status Anthropic uses for each error type (anthropic-messages.md §7.2), 0 when unknown. */
    private static int statusOf(String type) {
        if (type == null) {
            return 0;
        }
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "api_error" -> 500;
            case "timeout_error" -> 504;
            case "overloaded_error" -> OVERLOADED_STATUS;
            default -> 0;
        };
    }

    /** The error type for a status when the body named none we know; other 4xx count as invalid requests. */
    private static String typeOf(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case OVERLOADED_STATUS, 503 -> "overloaded_error";
            default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
        };
    }
}
