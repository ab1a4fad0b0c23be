package dev.switchboard.provider.gemini;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.json.JsonFields;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * What translating one Gemini reply needs besides the reply itself, fixed when the attempt
 * starts so that translation stays pure and testable: who to blame in errors, the model to name
 * when Gemini names none, how many choices the client asked for, whether it wants the usage
 * chunk, the {@code created} time and a key to fall back on when Gemini sends no
 * {@code responseId}. Immutable; one per reply.
 *
 * @param fallbackModel the configured upstream model (without Gemini's {@code models/} prefix),
 *     reported when the reply carries no {@code modelVersion}
 * @param fallbackKey used for the completion id ({@code chatcmpl-<key>}) and generated tool-call
 *     ids when the reply has no {@code responseId}
 */
record ReplyContext(String providerId, String fallbackModel, int choices, boolean includeUsage, long created,
                    String fallbackKey) {

    /** OpenAI's default {@code n}. */
    static final int DEFAULT_CHOICES = 1;

    static ReplyContext of(ChatRequest request, ModelConfig model, long created, String fallbackKey) {
        // The request parser keeps n within 1..ChatRequestParser.MAX_N, so the int is exact and a
        // blocked prompt's choices stay few.
        int choices = request.get("n") instanceof JsonNumber n ? Math.max(DEFAULT_CHOICES, n.intValue()) : DEFAULT_CHOICES;
        return new ReplyContext(model.provider(), GeminiConnector.modelName(model.upstreamModel()), choices,
                request.includeUsage(), created, fallbackKey);
    }

    /**
     * The model a reply reports: the {@code modelVersion} Gemini names (B5, as Portkey does), else
     * the configured upstream model; the same rule as the other connectors.
     */
    String model(JsonObject response) {
        String modelVersion = JsonFields.string(response, GeminiNames.MODEL_VERSION);
        return modelVersion != null ? modelVersion : fallbackModel;
    }

    /** OpenAI-looking completion id (B5: prefix the responseId with {@code chatcmpl-}). */
    static String completionId(String responseKey) {
        return "chatcmpl-" + responseKey;
    }
}
