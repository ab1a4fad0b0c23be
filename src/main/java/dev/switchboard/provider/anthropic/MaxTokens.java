package dev.switchboard.provider.anthropic;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.JsonFields;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * Anthropic's required {@code max_tokens} (openai-to-anthropic.md §1.1): the client's
 * {@code max_completion_tokens}, else its {@code max_tokens}, else the model entry's
 * {@code maxOutputTokens}, else {@link #DEFAULT_MAX_TOKENS}. Shared and stateless.
 *
 * <p>With thinking on, Anthropic requires {@code max_tokens > budget_tokens}. OpenAI's limit
 * already includes reasoning, so a value above the budget is kept as it is; a value at or below
 * it becomes {@code budget + value}, leaving the visible answer the room the client asked for.
 */
final class MaxTokens {
    /** When neither the request nor the model entry sets a limit (LiteLLM's default too). */
    static final int DEFAULT_MAX_TOKENS = 4096;

    private MaxTokens() {
    }

    /**
     * @param thinkingBudget the thinking plan's budget, or 0 without thinking
     */
    static long resolve(JsonObject request, ModelConfig model, int thinkingBudget) {
        long value = clientValue(request, "max_completion_tokens");
        if (value == 0) {
            value = clientValue(request, "max_tokens");
        }
        if (value == 0) {
            value = model.maxOutputTokens() != null ? model.maxOutputTokens() : DEFAULT_MAX_TOKENS;
        }
        return value > thinkingBudget ? value : thinkingBudget + value;
    }

    /** The client's limit, or 0 when absent. */
    private static long clientValue(JsonObject request, String name) {
        JsonNumber number = JsonFields.number(request, name);
        if (number == null) {
            return 0;
        }
        if (number.longValue() < 1) {
            throw ErrorKind.INVALID_REQUEST.exception(name, "'" + name + "' must be at least 1.");
        }
        return number.longValue();
    }
}
