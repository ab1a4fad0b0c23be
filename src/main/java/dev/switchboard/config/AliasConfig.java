package dev.switchboard.config;

import java.util.List;

/** A name such as {@code fast} standing for an ordered list of model ids. Immutable. */
public record AliasConfig(String name, List<String> targets) {
    public AliasConfig {
        targets = List.copyOf(targets);
    }
}
