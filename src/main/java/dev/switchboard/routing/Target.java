package dev.switchboard.routing;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.provider.ProviderConnector;

/**
 * A concrete model on its provider, with the connector that speaks to it. Immutable.
 *
 * @param key what names the target in the cooldown and load tables, and in a shared store:
 *     {@code model@provider}, so that a reload moving a model to another provider starts afresh
 */
public record Target(ModelConfig model, ProviderConfig provider, ProviderConnector connector, String key) {
    public Target(ModelConfig model, ProviderConfig provider, ProviderConnector connector) {
        this(model, provider, connector, model.id() + "@" + provider.id());
    }
}
