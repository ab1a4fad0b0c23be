package dev.switchboard.auth;

import dev.switchboard.limits.Limits;
import java.util.Set;

/**
 * The authenticated client: the configured name of its token (what logs and metrics show, never
 * the token) and the models it may use. Immutable.
 *
 * @param models model ids and alias names this caller may use, or null for all
 * @param limits the token's request and token budgets per minute
 * @param metrics whether the token may read {@code /metrics}
 */
public record Caller(String name, Set<String> models, Limits limits, boolean metrics) {
    public Caller(String name, Set<String> models) {
        this(name, models, Limits.NONE, false);
    }

    public boolean mayUse(String model) {
        return models == null || models.contains(model);
    }
}
