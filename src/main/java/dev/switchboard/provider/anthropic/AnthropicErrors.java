package dev.switchboard.provider.anthropic;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.provider.http.UpstreamErrors;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Anthropic errors, from a non-2xx body or an in-stream {@code error} event, as the client's
 * OpenAI-shaped error (docs/protocols/openai-to-anthropic.md §8; docs/protocols/anthropic-messages.md §7). Only the
 * classification is Anthropic's: the {@code error.type} decides, the HTTP status only when the
 * type is missing or unknown (an in-stream error arrives after a 200 and has no status of its
 * own); statuses, retryability, wording and key redaction come from {@link UpstreamErrors}.
 * Anthropic's message is kept. Shared and stateless.
 */
final class AnthropicErrors {
    /** Anthropic's wording for a context overflow: "prompt is too long: 210000 tokens > 200000 maximum". */
    static final String PROMPT_TOO_LONG = "prompt is too long";
    /** What messages call an in-stream error event that names no type. */
    static final String UNTYPED_EVENT = "error event";

    private AnthropicErrors() {
    }

    /** A non-2xx response: Anthropic's {@code {"type":"error","error":{type,message}}}, or whatever came. */
    static GatewayError fromResponse(ProviderConfig provider, int status, byte[] body, int length, String retryAfter) {
        String text = new String(body, 0, length, StandardCharsets.UTF_8);
        String type = null;
        String message;
        try {
            JsonObject error = JsonFields.object(Json.parseObject(text), "error");
            type = JsonFields.string(error, "type");
            message = JsonFields.string(error, "message");
        } catch (RuntimeException notJson) {
            // An HTML page from a proxy, or an empty body: quote its beginning.
            message = UpstreamErrors.quoteBody(text);
        }
        String detail = "HTTP " + status + (type == null ? "" : " " + type);
        return map(provider.id(), status, type, detail, message, retryAfter);
    }

    /** The data of an {@code event: error} that arrived inside a 200 stream. */
    static GatewayError fromStreamEvent(String providerId, JsonObject data) {
        JsonObject error = JsonFields.object(data, "error");
        String type = JsonFields.string(error, "type");
        return map(providerId, 0, type, type == null ? UNTYPED_EVENT : type, JsonFields.string(error, "message"), null);
    }

    /**
     * @param status the HTTP status, or 0 for an in-stream error, whose type alone tells; an
     *     unknown type there counts as Anthropic's {@code api_error}
     */
    private static GatewayError map(String providerId, int status, String type, String detail, String message,
                                    String retryAfter) {
        if (status >= 300 && status < 400) {
            // Anthropic never redirects: a 3xx is a misconfigured baseUrl, whatever the body says.
            return UpstreamErrors.forStatus(providerId, status, detail, null, null, null, message, retryAfter);
        }
        String kind = statusOf(type) != 0 ? type : typeOf(status);
        return switch (kind) {
            case "invalid_request_error" -> message != null && message.toLowerCase(Locale.ROOT).contains(PROMPT_TOO_LONG)
                    ? UpstreamErrors.forStatus(providerId, 400, detail, "invalid_request_error", "context_length_exceeded",
                            "messages", message, null)
                    : UpstreamErrors.forStatus(providerId, status >= 400 && status < 500 ? status : 400, detail,
                            "invalid_request_error", null, null, message, null);
            case "request_too_large" -> UpstreamErrors.forStatus(providerId, 413, detail, "invalid_request_error",
                    "request_too_large", null, message, null);
            case "not_found_error" -> message != null && message.toLowerCase(Locale.ROOT).contains("model")
                    ? UpstreamErrors.forStatus(providerId, 404, detail, "invalid_request_error", "model_not_found", "model",
                            message, null)
                    : UpstreamErrors.forStatus(providerId, 404, detail, "invalid_request_error", "not_found", null,
                            message, null);
            case "billing_error" -> UpstreamErrors.accountRefused(providerId, 402, detail, message);
            // An api_error keeps a 5xx status, so that a 503 or 529 is the shared overloaded case
            // and a 504 a timeout, as for an untyped body with that status.
            case "api_error" -> UpstreamErrors.forStatus(providerId, status >= 500 ? status : statusOf(kind), detail,
                    null, null, null, message, retryAfter);
            // authentication_error, permission_error, rate_limit_error, timeout_error, overloaded_error:
            // the shared table knows their statuses.
            default -> UpstreamErrors.forStatus(providerId, statusOf(kind), detail, null, null, null, message, retryAfter);
        };
    }

    /** The status Anthropic uses for each error type (docs/protocols/anthropic-messages.md §7.2), 0 when unknown. */
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
            case "overloaded_error" -> UpstreamErrors.OVERLOADED_STATUS;
            default -> 0;
        };
    }

    /**
     * The error type for a status when the body named none we know: other 4xx count as invalid
     * requests, everything else (an in-stream error without a known type included) as api_error.
     */
    private static String typeOf(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case UpstreamErrors.OVERLOADED_STATUS, 503 -> "overloaded_error";
            default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
        };
    }
}
