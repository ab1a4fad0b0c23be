package dev.switchboard.provider.anthropic;

import dev.switchboard.json.Bytes;
import dev.switchboard.json.JsonFields;
import dev.switchboard.json.JsonScanner;
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
    private static final byte[] INPUT_TOKENS = Bytes.ascii("input_tokens");
    private static final byte[] CACHE_READ_INPUT_TOKENS = Bytes.ascii("cache_read_input_tokens");
    private static final byte[] CACHE_CREATION_INPUT_TOKENS = Bytes.ascii("cache_creation_input_tokens");
    private static final byte[] CACHE_CREATION = Bytes.ascii("cache_creation");
    private static final byte[] EPHEMERAL_1H_INPUT_TOKENS = Bytes.ascii("ephemeral_1h_input_tokens");
    private static final byte[] OUTPUT_TOKENS = Bytes.ascii("output_tokens");
    private static final byte[] OUTPUT_TOKENS_DETAILS = Bytes.ascii("output_tokens_details");
    private static final byte[] THINKING_TOKENS = Bytes.ascii("thinking_tokens");

    /**
     * The counters of one {@code usage} object, each {@link #ABSENT} when missing, null or not a
     * number: what {@link #update(JsonObject)} reads, scanned from an event's bytes instead.
     */
    record Counts(long input, long cacheRead, long cacheCreation, long cacheWrite1h, long output, long thinking) {
        /** No such counter; the scanner reads at most 18 digits, so never a count. */
        static final long ABSENT = Long.MIN_VALUE;

        /** The object at the scanner's position, or null when the value is not an object. */
        static Counts scan(JsonScanner usage) {
            if (!usage.beginObjectIfAny()) {
                return null;
            }
            long input = ABSENT;
            long cacheRead = ABSENT;
            long cacheCreation = ABSENT;
            long cacheWrite1h = ABSENT;
            long output = ABSENT;
            long thinking = ABSENT;
            while (usage.nextMember()) {
                if (usage.keyIs(INPUT_TOKENS)) {
                    input = usage.integer(ABSENT);
                } else if (usage.keyIs(CACHE_READ_INPUT_TOKENS)) {
                    cacheRead = usage.integer(ABSENT);
                } else if (usage.keyIs(CACHE_CREATION_INPUT_TOKENS)) {
                    cacheCreation = usage.integer(ABSENT);
                } else if (usage.keyIs(OUTPUT_TOKENS)) {
                    output = usage.integer(ABSENT);
                } else if (usage.keyIs(CACHE_CREATION)) {
                    cacheWrite1h = member(usage, EPHEMERAL_1H_INPUT_TOKENS);
                } else if (usage.keyIs(OUTPUT_TOKENS_DETAILS)) {
                    thinking = member(usage, THINKING_TOKENS);
                } else {
                    usage.skipValue();
                }
            }
            return new Counts(input, cacheRead, cacheCreation, cacheWrite1h, output, thinking);
        }

        /** The integer member {@code name} of the object at the scanner's position, or {@link #ABSENT}. */
        private static long member(JsonScanner scanner, byte[] name) {
            long value = ABSENT;
            boolean isObject = scanner.beginObjectIfAny();
            while (isObject && scanner.nextMember()) {
                if (scanner.keyIs(name)) {
                    value = scanner.integer(ABSENT);
                } else {
                    scanner.skipValue();
                }
            }
            return value;
        }
    }

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

    /** Takes every counter present in {@code usage}, as {@link #update(JsonObject)}; null is ignored. */
    UsageTally update(Counts usage) {
        if (usage == null) {
            return this;
        }
        seen = true;
        input = latest(usage.input(), input);
        cacheRead = latest(usage.cacheRead(), cacheRead);
        cacheCreation = latest(usage.cacheCreation(), cacheCreation);
        cacheWrite1h = latest(usage.cacheWrite1h(), cacheWrite1h);
        output = latest(usage.output(), output);
        thinking = latest(usage.thinking(), thinking);
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

    private static long latest(long count, long previous) {
        return count == Counts.ABSENT ? previous : count;
    }

    private static long latest(JsonObject usage, String name, long previous) {
        return usage == null || JsonFields.number(usage, name) == null ? previous : JsonFields.count(usage, name);
    }
}
