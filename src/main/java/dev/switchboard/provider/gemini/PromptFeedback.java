package dev.switchboard.provider.gemini;

import dev.switchboard.json.JsonFields;
import jakarta.json.JsonObject;

/**
 * Reads {@code promptFeedback.blockReason}: set when Gemini refused the prompt itself, in which
 * case there are no candidates (docs/protocols/openai-to-gemini.md A3; in a stream, only on the first event).
 * Stateless.
 */
final class PromptFeedback {
    private PromptFeedback() {
    }

    /** The block reason, or null when the prompt was not blocked. */
    static String blockReason(JsonObject response) {
        JsonObject feedback = JsonFields.object(response, GeminiNames.PROMPT_FEEDBACK);
        return feedback == null ? null : JsonFields.string(feedback, GeminiNames.BLOCK_REASON);
    }
}
