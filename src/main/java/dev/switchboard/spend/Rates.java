package dev.switchboard.spend;

import dev.switchboard.config.Pricing;
import java.math.BigDecimal;

/**
 * A model's prices per token in pico-dollars (10<sup>-12</sup> USD), so that every cost is an
 * exact whole number: a price of P USD per million tokens is P × 10<sup>6</sup> pico-dollars per
 * token, whole because a configured price has at most {@link Pricing#MAX_SCALE} decimal places.
 * Immutable.
 */
public record Rates(long input, long output, long cachedInput, long cacheWrite, long cacheWrite1h) {
    /** The price of a model that has none: everything costs 0. */
    public static final Rates FREE = new Rates(0, 0, 0, 0, 0);
    /**
     * What a one-hour cache write costs against the input price when the pricing names no
     * {@code cacheWrite1h}: Anthropic's multiplier (a five-minute write is 1.25 times, docs/spend.md).
     */
    static final long ONE_HOUR_WRITE_MULTIPLIER = 2;
    private static final int PICO_PER_MILLIONTH = 6;

    /** The rates of {@code pricing}, its absent prices filled as {@link Pricing} documents. */
    public static Rates of(Pricing pricing) {
        long input = perToken(pricing.input());
        return new Rates(input, perToken(pricing.output()),
                pricing.cachedInput() == null ? input : perToken(pricing.cachedInput()),
                pricing.cacheWrite() == null ? input : perToken(pricing.cacheWrite()),
                pricing.cacheWrite1h() == null ? input * ONE_HOUR_WRITE_MULTIPLIER : perToken(pricing.cacheWrite1h()));
    }

    private static long perToken(BigDecimal usdPerMillion) {
        return usdPerMillion.movePointRight(PICO_PER_MILLIONTH).longValueExact();
    }
}
