package dev.switchboard.routing;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.provider.ProviderConnector;

/** A concrete model on its provider, with the connector that speaks to it. Immutable. */
public record Target(ModelConfig model, ProviderConfig provider, ProviderConnector connector) {
}
