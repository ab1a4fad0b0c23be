package dev.switchboard.spend;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.Pricing;
import dev.switchboard.llm.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rates of every configured model: its own {@code pricing}, else the default table's price of
 * its upstream model name, else of its id, else none, in which case it costs 0 and the log says so
 * once, when the configuration is loaded (docs/spend.md, "Prices"). Immutable; one per
 * configuration snapshot.
 */
public final class PriceBook {
    private static final Logger LOG = LoggerFactory.getLogger(PriceBook.class);

    private final Map<String, Rates> rates;
    private final List<String> unpriced;

    private PriceBook(Map<String, Rates> rates, List<String> unpriced) {
        this.rates = rates;
        this.unpriced = List.copyOf(unpriced);
    }

    /** The price book of {@code models}, logging each model that has no price. */
    public static PriceBook of(Map<String, ModelConfig> models) {
        PriceBook book = of(models, DefaultPrices.instance());
        for (String id : book.unpriced) {
            LOG.warn("model '{}' has no price (no 'pricing' in its configuration, and its name is not in the default"
                    + " price table of {}): its requests are counted at 0 USD", id, DefaultPrices.instance().asOf());
        }
        return book;
    }

    static PriceBook of(Map<String, ModelConfig> models, DefaultPrices defaults) {
        Map<String, Rates> rates = new HashMap<>();
        List<String> unpriced = new ArrayList<>();
        for (ModelConfig model : models.values()) {
            Pricing pricing = model.pricing();
            if (pricing == null) {
                pricing = defaults.lookup(model.upstreamModel());
            }
            if (pricing == null) {
                pricing = defaults.lookup(model.id());
            }
            if (pricing == null) {
                unpriced.add(model.id());
            } else {
                rates.put(model.id(), Rates.of(pricing));
            }
        }
        return new PriceBook(Map.copyOf(rates), unpriced);
    }

    /** The model's rates; {@link Rates#FREE} for a model without a price. */
    public Rates rates(String modelId) {
        return rates.getOrDefault(modelId, Rates.FREE);
    }

    public boolean isPriced(String modelId) {
        return rates.containsKey(modelId);
    }

    /** What {@code usage} of the configured model {@code modelId} cost, in pico-dollars. */
    public long picoUsd(String modelId, Usage usage) {
        return CostCalculator.picoUsd(usage, rates(modelId));
    }

    /** The configured models that have no price, in configuration order. */
    public List<String> unpriced() {
        return unpriced;
    }
}
