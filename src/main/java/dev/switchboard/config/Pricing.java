package dev.switchboard.config;

import java.math.BigDecimal;

/**
 * A model's prices in USD per million tokens, by what the providers bill separately
 * (docs/spend.md, "Prices"). Immutable.
 *
 * @param input uncached prompt tokens
 * @param output generated tokens, reasoning included
 * @param cachedInput prompt tokens read from a cache, or null for the input price
 * @param cacheWrite prompt tokens written to a five-minute cache, or null for the input price
 * @param cacheWrite1h prompt tokens written to a one-hour cache, or null for twice the input
 *     price (Anthropic's multiplier)
 */
public record Pricing(BigDecimal input, BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite,
                      BigDecimal cacheWrite1h) {
    /** Decimal places a price per million may have: one per-token price is then a whole number of pico-dollars. */
    public static final int MAX_SCALE = 6;
    /** The highest price per million tokens accepted, far above any model's, so that no cost can overflow. */
    public static final BigDecimal MAX_PRICE = BigDecimal.valueOf(100_000);
}
