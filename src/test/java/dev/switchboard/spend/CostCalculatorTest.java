package dev.switchboard.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Pricing;
import dev.switchboard.llm.Usage;
import dev.switchboard.telemetry.Usd;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {
    static Rates rates(String input, String output, String cachedInput, String cacheWrite, String cacheWrite1h) {
        return Rates.of(new Pricing(new BigDecimal(input), new BigDecimal(output), decimal(cachedInput),
                decimal(cacheWrite), decimal(cacheWrite1h)));
    }

    private static BigDecimal decimal(String value) {
        return value == null ? null : new BigDecimal(value);
    }

    @Test
    void aPricePerMillionIsAWholeNumberOfPicoDollarsPerToken() {
        Rates rates = rates("0.0375", "15", null, null, null);

        assertThat(rates.input()).isEqualTo(37_500);
        assertThat(rates.output()).isEqualTo(15_000_000);
        assertThat(rates.cachedInput()).as("no cached price: the input price").isEqualTo(37_500);
        assertThat(rates.cacheWrite()).as("no cache-write price: the input price").isEqualTo(37_500);
        assertThat(rates.cacheWrite1h()).as("no one-hour price: twice the input").isEqualTo(75_000);
    }

    @Test
    void theIssuesExampleIsExactAndPlain() {
        Rates nano = rates("0.05", "0.40", "0.005", null, null);

        long cost = CostCalculator.picoUsd(new Usage(150, 250), nano);

        assertThat(Usd.format(cost)).isEqualTo("0.0001075");
    }

    @Test
    void everyPartOfThePromptHasItsPrice() {
        Rates sonnet = rates("3", "15", "0.30", "3.75", "6");
        // 12 prompt tokens: 4 read from the cache, 3 written for five minutes, 2 for an hour, 3 plain.
        Usage usage = new Usage(12, 5, 4, 2, 3, 2);

        long cost = CostCalculator.picoUsd(usage, sonnet);

        assertThat(cost).isEqualTo(3 * 3_000_000L + 4 * 300_000L + 3 * 3_750_000L + 2 * 6_000_000L + 5 * 15_000_000L);
    }

    @Test
    void reasoningIsBilledAsOutputOnce() {
        Rates rates = rates("1", "10", null, null, null);

        assertThat(CostCalculator.picoUsd(new Usage(0, 100, 0, 60), rates))
                .as("60 of the 100 completion tokens are reasoning: 100 output tokens in all")
                .isEqualTo(100 * 10_000_000L);
    }

    @Test
    void noUsageCostsNothingAndNoPriceCostsNothing() {
        assertThat(CostCalculator.picoUsd(null, rates("1", "1", null, null, null))).isZero();
        assertThat(CostCalculator.picoUsd(new Usage(1_000, 1_000), Rates.FREE)).isZero();
    }

    @Test
    void inconsistentCountersNeverMakeACostNegative() {
        // A provider reporting more cached tokens than prompt tokens: the cached part is capped.
        long cost = CostCalculator.picoUsd(new Usage(10, 0, 50, 0), rates("1", "1", "0.5", null, null));

        assertThat(cost).isEqualTo(10 * 500_000L);
    }

    @Test
    void aHugeRequestKeepsEveryDigit() {
        Rates opus = rates("15", "75", "1.5", "18.75", "30");

        long cost = CostCalculator.picoUsd(new Usage(1_000_000, 128_000, 0, 0), opus);

        assertThat(Usd.format(cost)).isEqualTo("24.6");
        assertThat(Usd.format(CostCalculator.picoUsd(new Usage(1, 1), rates("0.000001", "0.000003", null, null,
                null)))).as("the smallest configurable prices stay exact").isEqualTo("0.000000000004");
    }
}
