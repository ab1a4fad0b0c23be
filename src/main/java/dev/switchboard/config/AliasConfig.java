package dev.switchboard.config;

import java.util.List;
import java.util.Locale;

/**
 * A name such as {@code fast} standing for a list of models, and how the first one to try is
 * picked; the others remain fallbacks in their listed order. Immutable.
 */
public record AliasConfig(String name, Strategy strategy, List<AliasTarget> targets) {
    public AliasConfig {
        targets = List.copyOf(targets);
    }

    /** The model ids, in their listed order. */
    public List<String> models() {
        return targets.stream().map(AliasTarget::model).toList();
    }

    /** A plain ordered list of model ids: fallback in that order. */
    public static AliasConfig fallback(String name, List<String> models) {
        return new AliasConfig(name, Strategy.FALLBACK, models.stream().map(AliasTarget::new).toList());
    }

    /** How the first target is chosen. */
    public enum Strategy {
        /** Always the first listed. */
        FALLBACK,
        /** Each in turn. */
        ROUND_ROBIN,
        /** At random, in proportion to the weights. */
        WEIGHTED,
        /** The one that answered fastest lately, now and then another to notice a change. */
        LEAST_LATENCY,
        /** The one with the fewest requests in flight on this node. */
        LEAST_BUSY;

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Strategy fromConfigName(String name) {
            for (Strategy strategy : values()) {
                if (strategy.configName().equals(name)) {
                    return strategy;
                }
            }
            return null;
        }
    }

    /** One model of an alias and its weight (used by {@link Strategy#WEIGHTED}). */
    public record AliasTarget(String model, int weight) {
        public static final int DEFAULT_WEIGHT = 1;

        public AliasTarget(String model) {
            this(model, DEFAULT_WEIGHT);
        }
    }
}
