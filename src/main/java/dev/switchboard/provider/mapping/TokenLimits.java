package dev.switchboard.provider.mapping;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.JsonFields;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * The output-token limit of a request, read in the same order by every connector: the client's
 * {@code max_completion_tokens}, else its deprecated {@code max_tokens} (docs/protocols/openai-chat.md §2.1:
 * synonyms, the newer one winning when both are sent), else the model entry's
 * {@code maxOutputTokens}. Shared and stateless.
 */
public final class TokenLimits {
    private TokenLimits() {
    }

    /**
     * The limit, or null when neither the request nor the model entry sets one.
     *
     * @throws dev.switchboard.error.GatewayException (400) naming the field when the client's
     *     value is below 1
     */
    public static Long requested(JsonObject request, ModelConfig model) {
        Long value = clientValue(request, "max_completion_tokens");
        if (value == null) {
            value = clientValue(request, "max_tokens");
        }
        if (value == null && model.maxOutputTokens() != null) {
            value = model.maxOutputTokens().longValue();
        }
        return value;
    }

    /**
     * The limit to send beside a thinking budget, for providers that count thinking inside their
     * output limit (Anthropic's {@code max_tokens}, which must exceed {@code budget_tokens};
     * Gemini's {@code maxOutputTokens}). OpenAI's limit already includes reasoning, so a limit
     * above the budget is kept as it is; one at or below it becomes budget + limit, or thinking
     * could use it all and leave an empty answer cut at {@code length}.
     *
     * @param budget the thinking budget, 0 without thinking
     */
    public static long aboveBudget(long limit, int budget) {
        return limit > budget ? limit : budget + limit;
    }

    private static Long clientValue(JsonObject request, String name) {
        JsonNumber number = JsonFields.number(request, name);
        if (number == null) {
            return null;
        }
        // The request parser has checked that the value is an integer that fits a long.
        if (number.longValue() < 1) {
            throw ErrorKind.INVALID_REQUEST.exception(name, "'" + name + "' must be at least 1.");
        }
        return number.longValue();
    }
}
