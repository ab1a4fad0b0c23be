package dev.switchboard.identity;

import dev.switchboard.config.JwtIssuerConfig;
import dev.switchboard.config.TeamConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a token's group claim to a configured team (docs/identity.md, "Several teams"): the teams
 * its values map to, in the order of the configuration's {@code teams}; with several, the models
 * of all of them together (all models when any allows all), and the name, limits and budget of the first.
 * No match gives the issuer's default team, or none. Shared and stateless.
 */
final class TeamMapping {
    private final JwtIssuerConfig issuer;
    private final Map<String, TeamConfig> teams;

    TeamMapping(JwtIssuerConfig issuer, Map<String, TeamConfig> teams) {
        this.issuer = issuer;
        this.teams = teams;
    }

    /** The caller's team, or null when it has none. */
    TeamConfig teamOf(List<String> groups) {
        Set<String> matched = new HashSet<>();
        for (String group : groups) {
            String team = issuer.teams().get(group);
            if (team != null) {
                matched.add(team);
            }
        }
        if (matched.isEmpty()) {
            return issuer.defaultTeam() == null ? null : teams.get(issuer.defaultTeam());
        }
        List<TeamConfig> ordered = new ArrayList<>();
        for (TeamConfig team : teams.values()) {
            if (matched.contains(team.name())) {
                ordered.add(team);
            }
        }
        if (ordered.size() == 1) {
            return ordered.get(0);
        }
        TeamConfig first = ordered.get(0);
        Set<String> models = new LinkedHashSet<>();
        for (TeamConfig team : ordered) {
            if (team.models() == null) {
                models = null;
                break;
            }
            models.addAll(team.models());
        }
        return new TeamConfig(first.name(), models, first.rpm(), first.tpm(), first.budget(), first.maxConcurrent());
    }
}
