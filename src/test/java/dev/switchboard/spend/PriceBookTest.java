package dev.switchboard.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ModelType;
import dev.switchboard.config.Pricing;
import dev.switchboard.llm.Usage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceBookTest {
    private static ModelConfig model(String id, String upstream, Pricing pricing) {
        return new ModelConfig(id, "p", upstream, null, ModelType.CHAT, pricing);
    }

    @Test
    void configuredPricesOverrideTheTableThenTheUpstreamNameThenTheId() {
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        models.put("cheap-sonnet", model("cheap-sonnet", "claude-sonnet-4-6",
                new Pricing(BigDecimal.ONE, BigDecimal.TEN, null, null, null)));
        models.put("sonnet", model("sonnet", "claude-sonnet-4-6", null));
        models.put("gpt-4o-mini", model("gpt-4o-mini", "my-deployment", null));
        models.put("mystery", model("mystery", "my-finetune", null));

        PriceBook book = PriceBook.of(models, DefaultPrices.instance());

        assertThat(book.picoUsd("cheap-sonnet", new Usage(1, 1))).isEqualTo(1_000_000L + 10_000_000L);
        assertThat(book.picoUsd("sonnet", new Usage(1, 1))).isEqualTo(3_000_000L + 15_000_000L);
        assertThat(book.rates("gpt-4o-mini")).isEqualTo(Rates.of(DefaultPrices.instance().lookup("gpt-4o-mini")));
        assertThat(book.picoUsd("mystery", new Usage(1_000, 1_000))).isZero();
        assertThat(book.isPriced("mystery")).isFalse();
        assertThat(book.unpriced()).containsExactly("mystery");
    }
}
