package dev.switchboard.config;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.Set;

/**
 * Parses a model's {@code pricing} (docs/configuration.md, "Prices"), and the same shape in the
 * default price table. Stateless.
 */
public final class PricingSection {
    private static final Set<String> FIELDS = Set.of("input", "output", "cachedInput", "cacheWrite", "cacheWrite1h");

    private PricingSection() {
    }

    /** The prices of {@code value}; {@code input} and {@code output} are required. */
    public static Pricing parse(JsonValue value, String path) {
        if (!(value instanceof JsonObject pricing)) {
            throw new ConfigException(path, "must be an object of prices in USD per million tokens");
        }
        for (String key : pricing.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new ConfigException(path + "." + key, "unknown field (expected one of "
                        + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        return new Pricing(price(pricing, "input", path, true), price(pricing, "output", path, true),
                price(pricing, "cachedInput", path, false), price(pricing, "cacheWrite", path, false),
                price(pricing, "cacheWrite1h", path, false));
    }

    private static BigDecimal price(JsonObject pricing, String name, String path, boolean required) {
        String field = path + "." + name;
        JsonValue value = pricing.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            if (required) {
                throw new ConfigException(field, "is required (USD per million tokens)");
            }
            return null;
        }
        if (!(value instanceof JsonNumber number)) {
            throw new ConfigException(field, "must be a number of USD per million tokens");
        }
        BigDecimal price = number.bigDecimalValue();
        if (price.signum() < 0 || price.compareTo(Pricing.MAX_PRICE) > 0) {
            throw new ConfigException(field, "must be between 0 and " + Pricing.MAX_PRICE.toPlainString()
                    + " USD per million tokens");
        }
        BigDecimal stripped = price.stripTrailingZeros();
        if (stripped.scale() > Pricing.MAX_SCALE) {
            throw new ConfigException(field, "has more than " + Pricing.MAX_SCALE
                    + " decimal places (USD per million tokens)");
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
