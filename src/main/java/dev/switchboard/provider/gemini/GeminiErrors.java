package dev.switchboard.provider.gemini;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.provider.http.UpstreamErrors;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Gemini's errors ({@code {"error":{code,message,status,details}}}, docs/protocols/openai-to-gemini.md A5) as the
 * client's OpenAI errors (B8, docs/protocols/openai-chat.md §7). Only the classification is Gemini's; statuses,
 * retryability, wording and key redaction come from {@link UpstreamErrors}, as for every
 * provider. Shared and stateless.
 *
 * <ul>
 * <li>400 with an {@code API_KEY_*} reason (Gemini reports a bad key as 400 INVALID_ARGUMENT,
 *     reason API_KEY_INVALID), 401 and 403 → 401/403 naming the provider's credential in the
 *     Switchboard configuration as the problem.</li>
 * <li>400 INVALID_ARGUMENT / FAILED_PRECONDITION → 400 invalid_request_error with Gemini's
 *     message; {@code context_length_exceeded} (param messages) when the message says the input
 *     exceeds the token limit (wording unverified, B8).</li>
 * <li>404 NOT_FOUND → 404 {@code model_not_found}, param model.</li>
 * <li>429 RESOURCE_EXHAUSTED → 429 rate_limit_error, retryable, with Retry-After from the
 *     header, else from the {@code google.rpc.RetryInfo} detail's {@code retryDelay} (rounded up
 *     to whole seconds).</li>
 * <li>503 UNAVAILABLE ("The model is overloaded") → 503 {@code upstream_overloaded}, retryable;
 *     504 DEADLINE_EXCEEDED → 504 {@code upstream_timeout}; other 5xx → 502
 *     {@code upstream_error}; a 3xx (never Gemini's answer: a misconfigured baseUrl) → a
 *     non-retryable 502.</li>
 * </ul>
 */
final class GeminiErrors {
    static final String API_KEY_REASON_PREFIX = "API_KEY_";
    /** Integer digits beyond which a retry delay is nonsense rather than a wait (a long holds 18). */
    static final int MAX_DELAY_DIGITS = 18;
    static final String RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";
    static final String ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";
    /** How Gemini words an input over the model's limit (B8: unverified, so only a hint). */
    static final String CONTEXT_LENGTH_MARKER = "exceeds the maximum number of tokens";

    /** HTTP statuses of Google's canonical codes, for an error that arrives with a status name only. */
    private static final Map<String, Integer> STATUS_CODES = Map.of(
            "INVALID_ARGUMENT", 400,
            "FAILED_PRECONDITION", 400,
            "UNAUTHENTICATED", 401,
            "PERMISSION_DENIED", 403,
            "NOT_FOUND", 404,
            "RESOURCE_EXHAUSTED", 429,
            "INTERNAL", 500,
            "UNAVAILABLE", 503,
            "DEADLINE_EXCEEDED", 504);
    private static final int UNKNOWN_STATUS = 500;

    /** What Gemini said; every field may be null (code 0) when the body did not say it. */
    record GeminiError(int code, String status, String message, String reason, String retryDelay) {
    }

    private GeminiErrors() {
    }

    /** Reads a non-2xx body: Gemini's object, the same wrapped in an array, or anything else quoted. */
    static GeminiError parse(byte[] body, int length) {
        String text = new String(body, 0, length, StandardCharsets.UTF_8).trim();
        JsonValue value;
        try (JsonReader reader = Json.PROVIDER.createReader(new StringReader(text))) {
            value = reader.readValue();
        } catch (RuntimeException e) {
            // Not JSON, or nested beyond the parser's limit: either way, text to quote.
            return new GeminiError(0, null, UpstreamErrors.quoteBody(text), null, null);
        }
        if (value instanceof JsonArray array && !array.isEmpty()) {
            // streamGenerateContent without alt=sse wraps everything in an array, errors included (A1).
            value = array.get(0);
        }
        if (value instanceof JsonObject object && JsonFields.object(object, "error") != null) {
            return fromObject(JsonFields.object(object, "error"));
        }
        return new GeminiError(0, null, UpstreamErrors.quoteBody(text), null, null);
    }

    /** Reads the inside of {@code "error"}. */
    static GeminiError fromObject(JsonObject error) {
        String reason = null;
        String retryDelay = null;
        JsonArray details = JsonFields.array(error, "details");
        if (details != null) {
            for (JsonValue detail : details) {
                if (detail instanceof JsonObject object) {
                    String type = JsonFields.string(object, "@type");
                    if (ERROR_INFO_TYPE.equals(type)) {
                        reason = JsonFields.string(object, "reason");
                    } else if (RETRY_INFO_TYPE.equals(type)) {
                        retryDelay = JsonFields.string(object, GeminiNames.RETRY_DELAY);
                    }
                }
            }
        }
        return new GeminiError((int) JsonFields.longValue(error, "code", 0), JsonFields.string(error, "status"),
                JsonFields.string(error, "message"), reason, retryDelay);
    }

    /** An error reported inside a 200 stream or body: its own code says what HTTP status it stands for. */
    static GatewayError reported(String providerId, JsonObject error) {
        GeminiError parsed = fromObject(error);
        int status = parsed.code() >= 400 && parsed.code() <= 599 ? parsed.code()
                : STATUS_CODES.getOrDefault(parsed.status() == null ? "" : parsed.status(), UNKNOWN_STATUS);
        return classify(providerId, status, parsed, null);
    }

    /** A non-2xx response. */
    static GatewayError toGateway(ProviderConfig provider, int status, GeminiError error, String retryAfterHeader) {
        return classify(provider.id(), status, error, retryAfterHeader);
    }

    /** Gemini's own classification; {@link UpstreamErrors} does the rest. */
    private static GatewayError classify(String providerId, int status, GeminiError error, String retryAfterHeader) {
        String detail = "HTTP " + status + describe(error);
        String said = error.message();
        if (status == 400 && error.reason() != null && error.reason().startsWith(API_KEY_REASON_PREFIX)) {
            return UpstreamErrors.accountRefused(providerId, 401, detail, said);
        }
        if (status == 404) {
            return UpstreamErrors.forStatus(providerId, 404, detail, "invalid_request_error", "model_not_found", "model",
                    said, null);
        }
        if (status == 429) {
            String retryAfter = retryAfterHeader != null ? retryAfterHeader : seconds(error.retryDelay());
            return UpstreamErrors.forStatus(providerId, 429, detail, "rate_limit_error", "rate_limit_exceeded", null,
                    said, retryAfter);
        }
        if (status == 400 && said != null && said.contains(CONTEXT_LENGTH_MARKER)) {
            return UpstreamErrors.forStatus(providerId, 400, detail, "invalid_request_error", "context_length_exceeded",
                    "messages", said, null);
        }
        // 503 UNAVAILABLE is how Gemini says "The model is overloaded" (A5); the shared table makes
        // every provider's 503 the overloaded case.
        return UpstreamErrors.forStatus(providerId, status, detail, null, null, null, said, retryAfterHeader);
    }

    private static String describe(GeminiError error) {
        String detail = error.reason() != null ? error.reason() : error.status();
        return detail == null ? "" : " " + detail;
    }

    /** A protobuf Duration ("37s", "0.5s") as whole seconds for Retry-After, rounded up; null if unreadable. */
    static String seconds(String duration) {
        if (duration == null || !duration.toLowerCase(Locale.ROOT).endsWith("s")) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(duration.substring(0, duration.length() - 1));
            if (value.precision() - value.scale() > MAX_DELAY_DIGITS) {
                // "1e999999999s" would take rounding a billion-digit number to say nothing useful.
                return null;
            }
            return value.setScale(0, RoundingMode.CEILING).max(BigDecimal.ONE).toPlainString();
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
