package dev.switchboard.provider.gemini;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import jakarta.json.JsonNumber;

/**
 * What translating one Gemini reply needs besides the reply itself, fixed when the attempt
 * starts so that translation stays pure and testable: who to blame in errors, the model name the
 * client sees, how many choices it asked for, whether it wants the usage chunk, the
 * {@code created} time and a key to fall back on when Gemini sends no {@code responseId}.
 * Immutable; one per reply.
 *
 * @param fallbackKey used for the completion id ({@code chatcmpl-<key>}) and generated tool-call
 *     ids when the reply has no {@code responseId}
 */
record ReplyContext(String providerId, String modelId, int choices, boolean includeUsage, long created,
                    String fallbackKey) {

    /** OpenAI's default {@code n}. */
    static final int DEFAULT_CHOICES = 1;

    static ReplyContext of(ChatRequest request, ModelConfig model, long created, String fallbackKey) {
        int choices = request.get("n") instanceof JsonNumber n ? Math.max(DEFAULT_CHOICES, n.intValue()) : DEFAULT_CHOICES;
        return new ReplyContext(model.provider(), model.id(), choices, request.includeUsage(), created, fallbackKey);
    }

    /** OpenAI-looking completion id (B5: prefix the responseId with {@code chatcmpl-}). */
    static String completionId(String responseKey) {
        return "chatcmpl-" + responseKey;
    }
}
