package dev.switchboard.auth;

import java.util.Set;

/**
 * The authenticated client: the configured name of its token (what logs and metrics show, never
 * the token) and the models it may use. Immutable.
 *
 * @param models model ids and alias names this caller may use, or null for all
 */
public record Caller(String name, Set<String> models) {
    public boolean mayUse(String model) {
        return models == null || models.contains(model);
    }
}
