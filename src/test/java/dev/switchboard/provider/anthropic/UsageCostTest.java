package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import dev.switchboard.spend.CostCalculator;
import dev.switchboard.spend.DefaultPrices;
import dev.switchboard.spend.Rates;
import dev.switchboard.telemetry.Usd;
import org.junit.jupiter.api.Test;

/**
 * Anthropic's usage semantics priced (docs/spend.md, "Usage"): cache reads and writes are reported
 * apart from {@code input_tokens}, and a one-hour write costs more than a five-minute one.
 */
class UsageCostTest {
    private static final Rates SONNET = Rates.of(DefaultPrices.instance().lookup("claude-sonnet-4-6"));

    @Test
    void cacheReadsAndWritesComeOnTopOfInputTokens() {
        UsageTally tally = new UsageTally().update(Json.parseObject("""
                {"input_tokens":50,"cache_read_input_tokens":10000,"cache_creation_input_tokens":2000,
                 "cache_creation":{"ephemeral_5m_input_tokens":1500,"ephemeral_1h_input_tokens":500},
                 "output_tokens":400}"""));

        long cost = CostCalculator.picoUsd(tally.toUsage(), SONNET);

        // 50 × 3 + 10000 × 0.30 + 1500 × 3.75 + 500 × 6 + 400 × 15, per million.
        assertThat(Usd.format(cost)).isEqualTo("0.017775");
    }

    @Test
    void aStreamsCumulativeCountersArePricedOnce() {
        UsageTally tally = new UsageTally()
                .update(Json.parseObject("""
                        {"input_tokens":50,"cache_read_input_tokens":10000,"cache_creation_input_tokens":2000,
                         "output_tokens":1}"""))
                .update(Json.parseObject("{\"output_tokens\":400}"));

        long cost = CostCalculator.picoUsd(tally.toUsage(), SONNET);

        // Without the split every write is a five-minute write: 2000 × 3.75.
        assertThat(Usd.format(cost)).isEqualTo("0.01665");
    }
}
