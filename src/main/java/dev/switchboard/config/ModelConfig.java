package dev.switchboard.config;

/**
 * A concrete model clients may name: its public id, the provider serving it and the provider's
 * own name for it. Immutable.
 *
 * @param maxOutputTokens the output cap used when a request sets none (providers that require
 *     one, such as Anthropic), or null for the connector's default
 * @param type whether it generates or embeds, which decides the endpoints that may name it
 * @param pricing the configured prices, or null for the default price table's (docs/spend.md, "Prices")
 */
public record ModelConfig(String id, String provider, String upstreamModel, Integer maxOutputTokens, ModelType type,
                          Pricing pricing) {
    /** A model priced by the default price table. */
    public ModelConfig(String id, String provider, String upstreamModel, Integer maxOutputTokens, ModelType type) {
        this(id, provider, upstreamModel, maxOutputTokens, type, null);
    }

    /** A chat model. */
    public ModelConfig(String id, String provider, String upstreamModel, Integer maxOutputTokens) {
        this(id, provider, upstreamModel, maxOutputTokens, ModelType.CHAT);
    }
}
