package dev.switchboard.provider.anthropic;

import dev.switchboard.provider.mapping.TokenLimits;

/**
 * Anthropic's required {@code max_tokens} (docs/protocols/openai-to-anthropic.md §1.1): the limit the request
 * asks for, else the model entry's {@code maxOutputTokens}, else {@link #DEFAULT_MAX_TOKENS}. With thinking
 * on, Anthropic requires {@code max_tokens > budget_tokens}: {@link TokenLimits#aboveBudget}.
 * Shared and stateless.
 */
final class MaxTokens {
    /** When neither the request nor the model entry sets a limit (LiteLLM's default too). */
    static final int DEFAULT_MAX_TOKENS = 4096;

    private MaxTokens() {
    }
}
