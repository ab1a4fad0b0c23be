package dev.switchboard.provider.gemini;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.LlmRequest;
import jakarta.json.JsonObject;

/**
 * What decoding one Gemini reply needs besides the reply itself, fixed when the attempt starts so
 * that decoding stays pure and testable: who to blame in errors, the model to name when Gemini
 * names none, how many choices the client asked for, and a key to fall back on when Gemini sends
 * no {@code responseId}. Immutable; one per reply.
 *
 * @param fallbackModel the configured upstream model (without Gemini's {@code models/} prefix),
 *     reported when the reply carries no {@code modelVersion}
 * @param fallbackKey used for the reply id ({@code chatcmpl-<key>}) and generated tool-call ids
 *     when the reply has no {@code responseId}
 */
record ReplyContext(String providerId, String fallbackModel, int choices, String fallbackKey) {

    /** OpenAI's default {@code n}. */
    static final int DEFAULT_CHOICES = 1;

    static ReplyContext of(LlmRequest request, ModelConfig model, String fallbackKey) {
        // The Chat parser keeps n within 1..ChatRequestParser.MAX_N, so a blocked prompt's choices stay few.
        return new ReplyContext(model.provider(), GeminiConnector.modelName(model.upstreamModel()),
                Math.max(DEFAULT_CHOICES, request.sampling().choices()), fallbackKey);
    }

    /**
     * The model a reply reports: the {@code modelVersion} Gemini names (B5, as Portkey does), else
     * the configured upstream model; the same rule as the other connectors.
     */
    String model(JsonObject response) {
        String modelVersion = JsonFields.string(response, GeminiNames.MODEL_VERSION);
        return modelVersion != null ? modelVersion : fallbackModel;
    }

    /** The reply's id, OpenAI-looking (B5: the responseId prefixed with {@code chatcmpl-}), streamed or whole. */
    static String completionId(String responseKey) {
        return "chatcmpl-" + responseKey;
    }
}
