package dev.switchboard.auth;

import dev.switchboard.config.BudgetConfig;
import dev.switchboard.config.TeamConfig;
import dev.switchboard.limits.Limits;
import dev.switchboard.limits.Quota;
import java.util.List;
import java.util.Set;

/**
 * The authenticated client: the configured name of its token (what logs and metrics show, never
 * the token), the models it may use, its limits, and its team. Immutable.
 *
 * @param models model ids and alias names this caller may use, or null for all; its team's list
 *     narrows it further
 * @param limits the token's request and token budgets per minute
 * @param metrics whether the token may read {@code /metrics}
 * @param team the caller's team, or null
 * @param budget the token's own spending budget, or null (its team's is {@code team.budget()})
 * @param admin whether the caller may read the usage API
 * @param maxConcurrent requests the caller's token may have in flight at once, or null for no
 *     limit (its team's is {@code team.maxConcurrent()})
 */
public record Caller(String name, Set<String> models, Limits limits, boolean metrics, TeamConfig team,
                     BudgetConfig budget, boolean admin, Integer maxConcurrent) {
    /** A caller without a concurrency limit of its own. */
    public Caller(String name, Set<String> models, Limits limits, boolean metrics, TeamConfig team,
                  BudgetConfig budget, boolean admin) {
        this(name, models, limits, metrics, team, budget, admin, null);
    }

    /** A caller without a budget or the usage API. */
    public Caller(String name, Set<String> models, Limits limits, boolean metrics, TeamConfig team) {
        this(name, models, limits, metrics, team, null, false);
    }

    public Caller(String name, Set<String> models) {
        this(name, models, Limits.NONE, false, null);
    }

    /** A caller of no team. */
    public Caller(String name, Set<String> models, Limits limits, boolean metrics) {
        this(name, models, limits, metrics, null);
    }

    /**
     * The limits each request of this caller counts against: its token's own, then its team's,
     * pooled across all the team's tokens (docs/configuration.md#teams).
     */
    public List<Quota> quotas() {
        Quota own = Quota.token(name, limits);
        if (team == null || team.rpm() == null && team.tpm() == null) {
            return List.of(own);
        }
        return List.of(own, Quota.team(team.name(), new Limits(team.rpm(), team.tpm())));
    }

    /** Whether the caller may use {@code model}: the narrower of its own list and its team's. */
    public boolean mayUse(String model) {
        return (models == null || models.contains(model)) && (team == null || team.mayUse(model));
    }
}
