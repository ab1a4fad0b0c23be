package dev.switchboard.provider.anthropic;

import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Usage;
import jakarta.json.JsonObject;

/**
 * Anthropic's usage counters in the internal model's meaning (docs/protocols/openai-to-anthropic.md
 * §5.2; docs/spend.md, "Usage"). Anthropic's {@code input_tokens} excludes cache reads and writes,
 * the internal {@code promptTokens} includes everything, so {@code prompt = input + cache_read +
 * cache_creation}, {@code cachedTokens = cache_read}, and the cache writes are split by duration
 * from {@code cache_creation.ephemeral_5m_input_tokens} and {@code ephemeral_1h_input_tokens}
 * (a one-hour write costs more); without that object every write is a five-minute one, the
 * default. {@code completion = output_tokens}, which already counts thinking. A stream reports the
 * counters in pieces ({@code message_start}, then cumulative values in {@code message_delta}), so
 * the latest non-null value of each wins, as in Anthropic's own SDK (docs/protocols/anthropic-messages.md
 * §6.3). Per reply: one per completion or stream.
 */
final class UsageTally {
    private long input;
    private long cacheRead;
    private long cacheCreation;
    private long cacheWrite1h;
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
        cacheWrite1h = latest(JsonFields.object(usage, "cache_creation"), "ephemeral_1h_input_tokens", cacheWrite1h);
        output = latest(usage, "output_tokens", output);
        thinking = latest(JsonFields.object(usage, "output_tokens_details"), "thinking_tokens", thinking);
        return this;
    }

    /** The internal model's usage, or null when the upstream never reported any. */
    Usage toUsage() {
        if (!seen) {
            return null;
        }
        long oneHour = Math.min(cacheWrite1h, cacheCreation);
        return new Usage(input + cacheRead + cacheCreation, output, cacheRead, Math.min(thinking, output),
                cacheCreation - oneHour, oneHour);
    }

    private static long latest(JsonObject usage, String name, long previous) {
        return usage == null || JsonFields.number(usage, name) == null ? previous : JsonFields.count(usage, name);
    }
}
