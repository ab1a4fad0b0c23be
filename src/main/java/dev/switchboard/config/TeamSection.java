package dev.switchboard.config;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Parses {@code teams}: per team, the models its tokens may use and the limits they share. Stateless. */
final class TeamSection {
    private static final Set<String> TEAM_FIELDS = Set.of("models", "rpm", "tpm", "budget", "maxConcurrent");

    private TeamSection() {
    }

    static Map<String, TeamConfig> teams(ConfigReader read, JsonObject teams, Map<String, ModelConfig> models,
                                         Map<String, AliasConfig> aliases) {
        Map<String, TeamConfig> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : teams.entrySet()) {
            String name = entry.getKey();
            String path = "teams." + name;
            if (name.isBlank()) {
                throw new ConfigException(path, "a team name must not be blank");
            }
            JsonObject team = read.asObject(entry.getValue(), path);
            read.checkKeys(team, path, TEAM_FIELDS);
            Set<String> allowed = team.containsKey("models")
                    ? modelList(read, team.get("models"), path + ".models", models, aliases) : null;
            Long rpm = team.containsKey("rpm") ? (long) read.positiveInt(team.get("rpm"), path + ".rpm") : null;
            Long tpm = team.containsKey("tpm") ? (long) read.positiveInt(team.get("tpm"), path + ".tpm") : null;
            Integer maxConcurrent = team.containsKey("maxConcurrent")
                    ? read.positiveInt(team.get("maxConcurrent"), path + ".maxConcurrent") : null;
            result.put(name, new TeamConfig(name, allowed, rpm, tpm, BudgetSection.budget(read, team, path),
                    maxConcurrent));
        }
        return result;
    }

    /** A list of model ids and alias names, each of which must exist. */
    static Set<String> modelList(ConfigReader read, JsonValue value, String path, Map<String, ModelConfig> models,
                                 Map<String, AliasConfig> aliases) {
        Set<String> allowed = new LinkedHashSet<>();
        JsonArray list = read.array(value, path);
        for (int m = 0; m < list.size(); m++) {
            String modelPath = path + "[" + m + "]";
            String model = read.substitute(read.asString(list.get(m), modelPath), modelPath);
            if (!models.containsKey(model) && !aliases.containsKey(model)) {
                throw new ConfigException(modelPath, "names '" + model + "', which is neither a model nor an alias");
            }
            allowed.add(model);
        }
        return allowed;
    }
}
