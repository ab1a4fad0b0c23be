package dev.switchboard.llm;

/**
 * What one reply used, in one meaning whatever the provider reported (docs/architecture.md, "The
 * internal model"; docs/spend.md, "Usage"), so that cost is computed one way. Immutable.
 *
 * <p>{@code promptTokens} counts every input token: uncached, read from a cache and written to a
 * cache alike, as OpenAI's {@code prompt_tokens} does (docs/protocols/openai-chat.md §6.2);
 * {@code cachedTokens}, {@code cacheWrite5mTokens} and {@code cacheWrite1hTokens} are disjoint
 * subsets of it. {@code completionTokens} counts every generated token, reasoning (thinking,
 * thoughts) included; {@code reasoningTokens} is a subset of it. Each connector brings its
 * provider's counters to this form.
 *
 * @param cachedTokens prompt tokens read from the provider's cache (billed at the cached-input price)
 * @param reasoningTokens completion tokens spent on reasoning (billed as output)
 * @param cacheWrite5mTokens prompt tokens written to a five-minute cache (Anthropic's default)
 * @param cacheWrite1hTokens prompt tokens written to a one-hour cache, which costs more
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens,
                   long cacheWrite5mTokens, long cacheWrite1hTokens) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0);

    public Usage(long promptTokens, long completionTokens) {
        this(promptTokens, completionTokens, 0, 0, 0, 0);
    }

    /** Usage with no cache writes, as OpenAI-compatible providers and Gemini report it. */
    public Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens) {
        this(promptTokens, completionTokens, cachedTokens, reasoningTokens, 0, 0);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /** Prompt tokens neither read from nor written to a cache, billed at the input price. */
    public long uncachedPromptTokens() {
        return Math.max(0, promptTokens - cachedTokens - cacheWrite5mTokens - cacheWrite1hTokens);
    }

    /** Cache writes of either duration. */
    public long cacheWriteTokens() {
        return cacheWrite5mTokens + cacheWrite1hTokens;
    }
}
