package dev.switchboard.provider.gemini;

import dev.switchboard.chat.Usage;
import jakarta.json.JsonObject;

/**
 * Gemini's {@code usageMetadata} in OpenAI's terms (openai-to-gemini.md B5.2). Stateless.
 *
 * <p>{@code promptTokenCount} already includes cached tokens, as OpenAI's prompt_tokens does, so
 * it is taken as is and {@code cachedContentTokenCount} is its cached subset. Gemini's
 * {@code candidatesTokenCount} excludes thinking while OpenAI's completion_tokens includes
 * reasoning, so completion = candidates + thoughts, and thoughts are the reasoning subset. The
 * total is recomputed as prompt + completion (Usage does), keeping OpenAI's invariant.
 */
final class GeminiUsage {
    private GeminiUsage() {
    }

    static Usage from(JsonObject usageMetadata) {
        long prompt = GeminiFields.number(usageMetadata, "promptTokenCount", 0);
        long candidates = GeminiFields.number(usageMetadata, "candidatesTokenCount", 0);
        long thoughts = GeminiFields.number(usageMetadata, "thoughtsTokenCount", 0);
        long cached = GeminiFields.number(usageMetadata, "cachedContentTokenCount", 0);
        return new Usage(prompt, candidates + thoughts, cached, thoughts);
    }
}
