package dev.switchboard.provider.gemini;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import java.util.Set;

/**
 * Gemini's {@code finishReason} to OpenAI's {@code finish_reason}, following the "Recommended"
 * column of docs/protocols/openai-to-gemini.md B5.1. Stateless.
 *
 * <ul>
 * <li>{@code MAX_TOKENS} → {@code length}.</li>
 * <li>Every safety-ish value ({@link #FILTERED}) → {@code content_filter}, RECITATION and LANGUAGE
 *     included (LiteLLM does; Portkey maps RECITATION to stop, but the text was withheld for
 *     policy reasons, which is what content_filter tells a client).</li>
 * <li>Anything else → {@code stop}: STOP, OTHER (ambiguous; B5.1 allows either), the
 *     function-call failures MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL, TOO_MANY_TOOL_CALLS,
 *     FINISH_REASON_UNSPECIFIED, a missing value and values newer than this table.</li>
 * <li>{@code stop} becomes {@code tool_calls} when the candidate holds function calls, since
 *     Gemini reports STOP for those too (A3) and OpenAI clients run tools on tool_calls. A
 *     length or content_filter end is kept even then: the calls may be cut short.</li>
 * </ul>
 *
 * <p>The {@link #FAILED} reasons say the model's turn went wrong rather than ended. With some text
 * or calls in the reply they map to {@code stop} as above; with nothing usable at all, a 200 with
 * {@code content: null} and {@code stop} would pass for an answer that is empty on purpose, so
 * the reply is an {@link #emptyFailure} error instead (B5.1: "consider surfacing an error").
 */
final class FinishReasons {
    static final String STOP = "stop";
    static final String LENGTH = "length";
    static final String TOOL_CALLS = "tool_calls";
    static final String CONTENT_FILTER = "content_filter";

    static final String MAX_TOKENS = "MAX_TOKENS";
    static final Set<String> FILTERED = Set.of("SAFETY", "RECITATION", "LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT",
            "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "IMAGE_OTHER", "NO_IMAGE");

    /**
     * Reasons that end a turn in failure: a function call Gemini could not form or was not allowed
     * to make, too many calls, LiteLLM's extra MALFORMED_RESPONSE and MISSING_THOUGHT_SIGNATURE,
     * and OTHER, which says nothing but that the turn did not end normally.
     */
    static final Set<String> FAILED = Set.of("MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS",
            "MALFORMED_RESPONSE", "MISSING_THOUGHT_SIGNATURE", "OTHER");
    /** Longest part of Gemini's {@code finishMessage} quoted in the error. */
    static final int MAX_FINISH_MESSAGE = 300;

    private FinishReasons() {
    }

    static boolean isFailure(String geminiReason) {
        return geminiReason != null && FAILED.contains(geminiReason);
    }

    /**
     * The error for a reply that ended in {@code geminiReason} (one of {@link #FAILED}) with no
     * text and no function call: a retryable 502 {@code upstream_error} naming the reason, so the
     * router may try again or fall back, and a client sees a failure rather than an empty answer.
     *
     * @param finishMessage Gemini's {@code finishMessage}, or null; quoted, shortened, for diagnosis
     */
    static GatewayError emptyFailure(String providerId, String geminiReason, String finishMessage) {
        StringBuilder message = new StringBuilder("Provider '").append(providerId)
                .append("' ended its reply with finishReason ").append(geminiReason).append(" and no content.");
        if (finishMessage != null && !finishMessage.isBlank()) {
            String quoted = finishMessage.length() > MAX_FINISH_MESSAGE
                    ? finishMessage.substring(0, MAX_FINISH_MESSAGE) + "…" : finishMessage;
            message.append(" Gemini said: ").append(quoted);
        }
        return ErrorKind.UPSTREAM_ERROR.error(message.toString());
    }

    static String map(String geminiReason, boolean hasToolCalls) {
        String reason;
        if (MAX_TOKENS.equals(geminiReason)) {
            reason = LENGTH;
        } else if (geminiReason != null && FILTERED.contains(geminiReason)) {
            reason = CONTENT_FILTER;
        } else {
            reason = STOP;
        }
        return reason.equals(STOP) && hasToolCalls ? TOOL_CALLS : reason;
    }
}
