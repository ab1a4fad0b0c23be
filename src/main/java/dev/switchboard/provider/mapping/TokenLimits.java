package dev.switchboard.provider.mapping;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.llm.LlmRequest;

/**
 * The output-token limit of a request, read in the same order by every connector: the client's
 * (Chat's {@code max_completion_tokens}, else its deprecated {@code max_tokens}, as the Chat door
 * reads them: docs/protocols/openai-chat.md §2.1; each other door's one field), else the model
 * entry's {@code maxOutputTokens}. Shared and stateless.
 */
public final class TokenLimits {
    private TokenLimits() {
    }

    /** The limit, or null when neither the request nor the model entry sets one. */
    public static Long requested(LlmRequest request, ModelConfig model) {
        if (request.maxOutputTokens() != null) {
            return request.maxOutputTokens();
        }
        return model.maxOutputTokens() == null ? null : model.maxOutputTokens().longValue();
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
}
