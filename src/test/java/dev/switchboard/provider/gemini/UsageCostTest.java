package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import dev.switchboard.spend.CostCalculator;
import dev.switchboard.spend.DefaultPrices;
import dev.switchboard.spend.Rates;
import dev.switchboard.telemetry.Usd;
import org.junit.jupiter.api.Test;

/**
 * Gemini's usage semantics priced (docs/spend.md, "Usage"): thoughts are reported apart from the
 * candidates and bill as output; the cached count is part of the prompt count.
 */
class UsageCostTest {
    private static final Rates FLASH = Rates.of(DefaultPrices.instance().lookup("gemini-2.5-flash"));

    @Test
    void thoughtsBillAsOutputAndCachedTokensAtTheCachedPrice() {
        var usage = GeminiUsage.from(Json.parseObject("""
                {"promptTokenCount":1000,"cachedContentTokenCount":600,"candidatesTokenCount":100,
                 "thoughtsTokenCount":250,"totalTokenCount":1350}"""));

        long cost = CostCalculator.picoUsd(usage, FLASH);

        // 400 uncached × 0.30 + 600 cached × 0.03 + (100 + 250) × 2.50, per million.
        assertThat(Usd.format(cost)).isEqualTo("0.001013");
    }

    @Test
    void toolUsePromptTokensBillAsInput() {
        var usage = GeminiUsage.from(Json.parseObject("""
                {"promptTokenCount":100,"toolUsePromptTokenCount":900,"candidatesTokenCount":10}"""));

        assertThat(CostCalculator.picoUsd(usage, FLASH)).isEqualTo(1000 * 300_000L + 10 * 2_500_000L);
    }
}
