package dev.switchboard.provider.gemini;

import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Usage;
import jakarta.json.JsonObject;

/**
 * Gemini's {@code usageMetadata} in the internal model's meaning (docs/protocols/openai-to-gemini.md
 * B5.2; docs/spend.md, "Usage"). Stateless.
 *
 * <p>{@code promptTokenCount} already includes cached tokens, as the internal prompt count does,
 * and {@code cachedContentTokenCount} is its cached subset; the prompt that tool use (search
 * grounding, code execution) added is counted apart in {@code toolUsePromptTokenCount} and billed
 * as input, so it is added to the prompt. Gemini's {@code candidatesTokenCount} excludes thinking
 * while the internal completion count includes reasoning, so completion = candidates + thoughts,
 * and thoughts are the reasoning subset, billed as output. Gemini reports no cache writes (its
 * explicit caches are billed by storage time, outside any request). The total is recomputed as
 * prompt + completion (Usage does), keeping OpenAI's invariant.
 */
final class GeminiUsage {
    private GeminiUsage() {
    }

    static Usage from(JsonObject usageMetadata) {
        long prompt = JsonFields.longValue(usageMetadata, GeminiNames.PROMPT_TOKEN_COUNT, 0);
        long toolUse = JsonFields.longValue(usageMetadata, GeminiNames.TOOL_USE_PROMPT_TOKEN_COUNT, 0);
        long candidates = JsonFields.longValue(usageMetadata, GeminiNames.CANDIDATES_TOKEN_COUNT, 0);
        long thoughts = JsonFields.longValue(usageMetadata, GeminiNames.THOUGHTS_TOKEN_COUNT, 0);
        long cached = JsonFields.longValue(usageMetadata, GeminiNames.CACHED_CONTENT_TOKEN_COUNT, 0);
        return new Usage(prompt + toolUse, candidates + thoughts, cached, thoughts);
    }
}
