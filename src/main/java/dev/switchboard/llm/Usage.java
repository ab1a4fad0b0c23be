package dev.switchboard.llm;

/**
 * Token usage in OpenAI's terms (docs/protocols/openai-chat.md §6.2): {@code promptTokens} counts every input
 * token, cached or not; {@code completionTokens} every generated token, reasoning included.
 * Immutable.
 *
 * @param cachedTokens prompt tokens served from cache, a subset of promptTokens
 * @param reasoningTokens completion tokens spent on reasoning, a subset of completionTokens
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens) {
    public static final Usage NONE = new Usage(0, 0, 0, 0);

    public Usage(long promptTokens, long completionTokens) {
        this(promptTokens, completionTokens, 0, 0);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
