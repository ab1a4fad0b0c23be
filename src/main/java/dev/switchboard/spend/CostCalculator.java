package dev.switchboard.spend;

import dev.switchboard.llm.Usage;

/**
 * What a reply cost, from its usage in the internal model's meaning (docs/spend.md, "Usage") and
 * its model's rates: the prompt's uncached part at the input price, cache reads at the cached
 * price, five-minute and one-hour cache writes at theirs, and every generated token, reasoning
 * included, at the output price. Exact, in pico-dollars. Stateless.
 */
public final class CostCalculator {
    private CostCalculator() {
    }

    /** The cost in pico-dollars (10<sup>-12</sup> USD); 0 for null usage. */
    public static long picoUsd(Usage usage, Rates rates) {
        if (usage == null) {
            return 0;
        }
        long cached = Math.min(nonNegative(usage.cachedTokens()), nonNegative(usage.promptTokens()));
        long cost = Math.multiplyExact(usage.uncachedPromptTokens(), rates.input());
        cost = Math.addExact(cost, Math.multiplyExact(cached, rates.cachedInput()));
        cost = Math.addExact(cost, Math.multiplyExact(nonNegative(usage.cacheWrite5mTokens()), rates.cacheWrite()));
        cost = Math.addExact(cost, Math.multiplyExact(nonNegative(usage.cacheWrite1hTokens()), rates.cacheWrite1h()));
        return Math.addExact(cost, Math.multiplyExact(nonNegative(usage.completionTokens()), rates.output()));
    }

    private static long nonNegative(long tokens) {
        return Math.max(0, tokens);
    }
}
