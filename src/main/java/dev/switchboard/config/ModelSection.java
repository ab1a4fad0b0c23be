package dev.switchboard.config;

import dev.switchboard.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue.ValueType;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code models} and the {@code aliases} over them. Stateless.
 */
final class ModelSection {
    private static final Set<String> ALIAS_FIELDS = Set.of("strategy", "targets");
    private static final Set<String> ALIAS_TARGET_FIELDS = Set.of("model", "weight");
    private static final Set<String> MODEL_FIELDS = Set.of("provider", "upstreamModel", "maxOutputTokens", "type",
            "pricing");

    private ModelSection() {
    }

    static Map<String, ModelConfig> models(ConfigReader read, JsonObject models, Map<String, ProviderConfig> providers) {
        if (models.isEmpty()) {
            throw new ConfigException("models", "at least one model is required");
        }
        Map<String, ModelConfig> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : models.entrySet()) {
            String id = entry.getKey();
            String path = "models." + id;
            if (id.isBlank()) {
                throw new ConfigException(path, "a model id must not be blank");
            }
            JsonObject model = read.asObject(entry.getValue(), path);
            read.checkKeys(model, path, MODEL_FIELDS);
            String provider = read.string(model, "provider", path, true);
            if (!providers.containsKey(provider)) {
                throw new ConfigException(path + ".provider", "names provider '" + provider
                        + "', which is not defined under 'providers'");
            }
            String upstreamModel = read.string(model, "upstreamModel", path, false);
            Integer maxOutputTokens = model.containsKey("maxOutputTokens")
                    ? read.positiveInt(model.get("maxOutputTokens"), path + ".maxOutputTokens") : null;
            String typeName = read.string(model, "type", path, false);
            ModelType type = typeName == null ? ModelType.CHAT : ModelType.fromConfigName(typeName);
            if (type == null) {
                throw new ConfigException(path + ".type", "unknown model type '" + typeName + "' (expected chat or embedding)");
            }
            Pricing pricing = model.containsKey("pricing") ? PricingSection.parse(model.get("pricing"), path + ".pricing")
                    : null;
            result.put(id, new ModelConfig(id, provider, upstreamModel == null ? id : upstreamModel, maxOutputTokens,
                    type, pricing));
        }
        return result;
    }

    static Map<String, AliasConfig> aliases(ConfigReader read, JsonObject aliases, Map<String, ModelConfig> models) {
        Map<String, AliasConfig> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : aliases.entrySet()) {
            String name = entry.getKey();
            String path = "aliases." + name;
            if (models.containsKey(name)) {
                throw new ConfigException(path, "'" + name + "' is already a model id; an alias needs its own name");
            }
            AliasConfig.Strategy strategy = AliasConfig.Strategy.FALLBACK;
            JsonValue targets = entry.getValue();
            String targetsPath = path;
            if (targets.getValueType() == ValueType.OBJECT) {
                JsonObject alias = targets.asJsonObject();
                read.checkKeys(alias, path, ALIAS_FIELDS);
                String strategyName = read.string(alias, "strategy", path, false);
                if (strategyName != null) {
                    strategy = AliasConfig.Strategy.fromConfigName(strategyName);
                    if (strategy == null) {
                        throw new ConfigException(path + ".strategy", "unknown strategy '" + strategyName
                                + "' (expected fallback, round-robin, weighted, least-latency or least-busy)");
                    }
                }
                targets = alias.get("targets");
                targetsPath = path + ".targets";
                if (targets == null) {
                    throw new ConfigException(targetsPath, "is required");
                }
            } else if (targets.getValueType() != ValueType.ARRAY) {
                throw new ConfigException(path, "must be a list of model ids or an object with 'strategy' and"
                        + " 'targets', but it is " + Json.typeName(targets));
            }
            JsonArray list = read.array(targets, targetsPath);
            if (list.isEmpty()) {
                throw new ConfigException(targetsPath, "an alias needs at least one model");
            }
            List<AliasConfig.AliasTarget> resolved = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                resolved.add(aliasTarget(read, list.get(i), targetsPath + "[" + i + "]", models));
            }
            ModelType type = models.get(resolved.get(0).model()).type();
            for (int i = 1; i < resolved.size(); i++) {
                if (models.get(resolved.get(i).model()).type() != type) {
                    // A route serves one kind of endpoint: a fallback from a chat model to an
                    // embedding model could only fail.
                    throw new ConfigException(targetsPath + "[" + i + "]", "names " + models.get(resolved.get(i).model())
                            .type().configName() + " model '" + resolved.get(i).model() + "', but '"
                            + resolved.get(0).model() + "' is a " + type.configName() + " model; an alias's models are of one type");
                }
            }
            result.put(name, new AliasConfig(name, strategy, resolved));
        }
        return result;
    }

    static AliasConfig.AliasTarget aliasTarget(ConfigReader read, JsonValue value, String path, Map<String, ModelConfig> models) {
        String model;
        int weight = AliasConfig.AliasTarget.DEFAULT_WEIGHT;
        if (value.getValueType() == ValueType.OBJECT) {
            JsonObject target = value.asJsonObject();
            read.checkKeys(target, path, ALIAS_TARGET_FIELDS);
            model = read.string(target, "model", path, true);
            if (target.containsKey("weight")) {
                weight = read.positiveInt(target.get("weight"), path + ".weight");
            }
        } else {
            model = read.substitute(read.asString(value, path), path);
        }
        if (!models.containsKey(model)) {
            throw new ConfigException(path, "names model '" + model + "', which is not defined under 'models'");
        }
        return new AliasConfig.AliasTarget(model, weight);
    }
}
