package dev.switchboard.provider.anthropic;

import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Usage;
import jakarta.json.JsonObject;

/**
 * Anthropic's usage counters turned into OpenAI's (docs/protocols/openai-to-anthropic.md §5.2). Anthropic's
 * {@code input_tokens} excludes cache reads and writes, OpenAI's {@code prompt_tokens} includes
 * everything, so {@code prompt_tokens = input + cache_read + cache_creation} and
 * {@code cached_tokens = cache_read}; {@code completion_tokens = output_tokens}, which already
 * counts thinking. A stream reports the counters in pieces ({@code message_start}, then
 * cumulative values in {@code message_delta}), so the latest non-null value of each wins, as in
 * Anthropic's own SDK (docs/protocols/anthropic-messages.md §6.3). Per reply: one per completion or stream.
 */
final class UsageTally {
    private long input;
    private long cacheRead;
    private long cacheCreation;
    private long output;
    private long thinking;
    private boolean seen;

    /** Takes every counter present in an Anthropic {@code usage} object; null is ignored. */
    UsageTally update(JsonObject usage) {
        if (usage == null) {
            return this;
        }
        seen = true;
        input = latest(usage, "input_tokens", input);
        cacheRead = latest(usage, "cache_read_input_tokens", cacheRead);
        cacheCreation = latest(usage, "cache_creation_input_tokens", cacheCreation);
        output = latest(usage, "output_tokens", output);
        thinking = latest(JsonFields.object(usage, "output_tokens_details"), "thinking_tokens", thinking);
        return this;
    }

    /** OpenAI's usage, or null when the upstream never reported any. */
    Usage toUsage() {
        if (!seen) {
            return null;
        }
        return new Usage(input + cacheRead + cacheCreation, output, cacheRead, Math.min(thinking, output));
    }

    private static long latest(JsonObject usage, String name, long previous) {
        return JsonFields.number(usage, name) == null ? previous : JsonFields.count(usage, name);
    }
}
