package dev.switchboard.telemetry;

import java.math.BigDecimal;

/**
 * Pico-dollar amounts (what costs are counted in, docs/spend.md) as people read them: a plain decimal in US dollars, exact, never rounded to
 * cents and never in exponent notation ({@code 0.0001075}). Stateless.
 */
public final class Usd {
    /** Decimal places of a pico-dollar. */
    public static final int SCALE = 12;
    /** Pico-dollars in one dollar, for metrics that count in dollars as a double. */
    public static final double PICO_PER_USD = 1e12;

    private Usd() {
    }

    public static BigDecimal of(long picoUsd) {
        BigDecimal usd = BigDecimal.valueOf(picoUsd, SCALE).stripTrailingZeros();
        return usd.scale() < 0 ? usd.setScale(0) : usd;
    }

    public static String format(long picoUsd) {
        return picoUsd == 0 ? "0" : of(picoUsd).toPlainString();
    }
}
