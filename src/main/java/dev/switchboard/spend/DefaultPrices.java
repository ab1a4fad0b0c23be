package dev.switchboard.spend;

import dev.switchboard.config.Pricing;
import dev.switchboard.config.PricingSection;
import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The dated default price table shipped with Switchboard ({@code default-prices.json} next to this
 * class; docs/spend.md, "Prices"): standard prices of the models the zero-config setup uses and
 * of the common OpenAI, Anthropic and Gemini models, by the provider's model name. Immutable;
 * loaded once.
 */
public final class DefaultPrices {
    static final String RESOURCE = "default-prices.json";
    /** A snapshot date at the end of a model name: {@code -20250929} (Anthropic) or {@code -2024-08-06} (OpenAI). */
    private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{8}|\\d{4}-\\d{2}-\\d{2})$");
    private static final String LATEST_SUFFIX = "-latest";
    /** Gemini's resource prefix, which a configured upstream model may carry. */
    private static final String GEMINI_PREFIX = "models/";

    private static final DefaultPrices INSTANCE = load();

    private final String asOf;
    private final Map<String, Pricing> prices;

    DefaultPrices(String asOf, Map<String, Pricing> prices) {
        this.asOf = asOf;
        this.prices = Map.copyOf(prices);
    }

    public static DefaultPrices instance() {
        return INSTANCE;
    }

    /** The date the table's prices were taken from the providers' price pages. */
    public String asOf() {
        return asOf;
    }

    /**
     * The price of a provider's model, or null: the name as it is, else without a {@code models/}
     * prefix, a snapshot date or {@code -latest} ({@code claude-sonnet-4-5-20250929} is priced as
     * {@code claude-sonnet-4-5}).
     */
    public Pricing lookup(String upstreamModel) {
        if (upstreamModel == null) {
            return null;
        }
        String name = upstreamModel.startsWith(GEMINI_PREFIX) ? upstreamModel.substring(GEMINI_PREFIX.length()) : upstreamModel;
        Pricing exact = prices.get(name);
        if (exact != null) {
            return exact;
        }
        String base = DATE_SUFFIX.matcher(name).replaceFirst("");
        if (base.endsWith(LATEST_SUFFIX)) {
            base = base.substring(0, base.length() - LATEST_SUFFIX.length());
        }
        return prices.get(base);
    }

    static DefaultPrices load() {
        try (InputStream in = DefaultPrices.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return parse(Json.parseObject(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DefaultPrices parse(JsonObject table) {
        Map<String, Pricing> prices = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : table.getJsonObject("models").entrySet()) {
            prices.put(entry.getKey(), PricingSection.parse(entry.getValue(), RESOURCE + ": models." + entry.getKey()));
        }
        return new DefaultPrices(table.getString("asOf"), prices);
    }
}
