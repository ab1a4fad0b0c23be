package dev.switchboard.provider.gemini;

import java.util.Set;

/**
 * Gemini's {@code finishReason} to OpenAI's {@code finish_reason}, following the "Recommended"
 * column of openai-to-gemini.md B5.1. Stateless.
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
 */
final class FinishReasons {
    static final String STOP = "stop";
    static final String LENGTH = "length";
    static final String TOOL_CALLS = "tool_calls";
    static final String CONTENT_FILTER = "content_filter";

    static final String MAX_TOKENS = "MAX_TOKENS";
    static final Set<String> FILTERED = Set.of("SAFETY", "RECITATION", "LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT",
            "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "IMAGE_OTHER", "NO_IMAGE");

    private FinishReasons() {
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
