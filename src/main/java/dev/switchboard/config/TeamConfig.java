package dev.switchboard.config;

import java.util.Set;

/**
 * A team of tokens (docs/configuration.md, "Teams"): the models its tokens may use, which narrow
 * each token's own list, and limits its tokens share. Immutable.
 *
 * @param models the model ids and alias names the team's tokens may use, or null for all
 * @param rpm requests per minute the team's tokens may make together, or null for no limit
 * @param tpm tokens per minute the team's tokens may use together, or null for no limit
 * @param budget the spending budget the team's tokens share, or null for none
 * @param maxConcurrent requests the team's tokens may have in flight together on a node, or null
 *     for no limit (docs/hostile-clients.md#concurrency-caps)
 */
public record TeamConfig(String name, Set<String> models, Long rpm, Long tpm, BudgetConfig budget,
                         Integer maxConcurrent) {
    public TeamConfig {
        models = models == null ? null : Set.copyOf(models);
    }

    /** A team without a concurrency limit. */
    public TeamConfig(String name, Set<String> models, Long rpm, Long tpm, BudgetConfig budget) {
        this(name, models, rpm, tpm, budget, null);
    }

    /** A team without a budget. */
    public TeamConfig(String name, Set<String> models, Long rpm, Long tpm) {
        this(name, models, rpm, tpm, null);
    }

    public boolean mayUse(String model) {
        return models == null || models.contains(model);
    }
}
