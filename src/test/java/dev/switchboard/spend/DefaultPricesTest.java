package dev.switchboard.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.DefaultConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.Pricing;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultPricesTest {
    private final DefaultPrices prices = DefaultPrices.instance();

    @Test
    void theTableIsDated() {
        assertThat(LocalDate.parse(prices.asOf())).isBefore(LocalDate.now().plusDays(1));
    }

    @Test
    void everyModelOfTheZeroConfigSetupHasAPrice() {
        Map<String, String> env = Map.of("ANTHROPIC_API_KEY", "sk-ant-test-key-0000", "OPENAI_API_KEY",
                "sk-test-key-000000000", "GEMINI_API_KEY", "gm-test-key-00000000");
        for (Map<String, String> environment : new Map[] {env, Map.of()}) {
            Map<String, ModelConfig> models = DefaultConfig.fromEnvironment(environment).config().models();
            PriceBook book = PriceBook.of(models, prices);
            assertThat(book.unpriced()).as("unpriced models of %s", models.keySet()).isEmpty();
        }
    }

    @Test
    void aSnapshotDateOrLatestIsPricedAsItsModel() {
        Pricing sonnet = prices.lookup("claude-sonnet-4-5");

        assertThat(prices.lookup("claude-sonnet-4-5-20250929")).isEqualTo(sonnet);
        assertThat(prices.lookup("gpt-4o-2024-08-06")).isEqualTo(prices.lookup("gpt-4o"));
        assertThat(prices.lookup("claude-3-5-haiku-latest")).isEqualTo(prices.lookup("claude-3-5-haiku"));
        assertThat(prices.lookup("models/gemini-2.5-pro")).isEqualTo(prices.lookup("gemini-2.5-pro"));
        assertThat(prices.lookup("my-finetune")).isNull();
    }

    @Test
    void anthropicsCacheWritesCostMoreForAnHour() {
        Pricing haiku = prices.lookup("claude-haiku-4-5");

        assertThat(haiku.cacheWrite()).isEqualByComparingTo(new BigDecimal("1.25"));
        assertThat(haiku.cacheWrite1h()).isEqualByComparingTo(new BigDecimal("2"));
        assertThat(haiku.cachedInput()).isEqualByComparingTo(new BigDecimal("0.1"));
    }
}
