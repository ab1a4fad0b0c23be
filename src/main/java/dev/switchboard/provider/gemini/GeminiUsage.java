package dev.switchboard.provider.gemini;

import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Usage;
import jakarta.json.JsonObject;

/**
 * Gemini's {@code usageMetadata} in OpenAI's terms (docs/protocols/openai-to-gemini.md B5.2). Stateless.
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
        long prompt = JsonFields.longValue(usageMetadata, GeminiNames.PROMPT_TOKEN_COUNT, 0);
        long candidates = JsonFields.longValue(usageMetadata, GeminiNames.CANDIDATES_TOKEN_COUNT, 0);
        long thoughts = JsonFields.longValue(usageMetadata, GeminiNames.THOUGHTS_TOKEN_COUNT, 0);
        long cached = JsonFields.longValue(usageMetadata, GeminiNames.CACHED_CONTENT_TOKEN_COUNT, 0);
        return new Usage(prompt, candidates + thoughts, cached, thoughts);
    }
}
