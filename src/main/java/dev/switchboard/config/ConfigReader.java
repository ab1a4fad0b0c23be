package dev.switchboard.config;

import dev.switchboard.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue.ValueType;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * Reads one configuration tree: each accessor checks the JSON type it expects, substitutes the
 * environment in strings ({@link EnvSubstitution}) and names the field in the error it throws,
 * so that every section parser reports problems the same way. Per parse (it holds the environment).
 */
final class ConfigReader {
    private final Map<String, String> env;

    ConfigReader(Map<String, String> env) {
        this.env = env;
    }

    void checkKeys(JsonObject object, String path, Set<String> known) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigException(path == null ? key : path + "." + key,
                        "unknown field (expected one of " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    JsonObject object(JsonObject parent, String name, String path, boolean required) {
        String field = path == null ? name : path + "." + name;
        JsonValue value = parent.get(name);
        if (value == null) {
            if (required) {
                throw new ConfigException(field, "is required");
            }
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        return asObject(value, field);
    }

    JsonObject asObject(JsonValue value, String path) {
        if (value.getValueType() != ValueType.OBJECT) {
            throw new ConfigException(path, "must be an object, but it is " + Json.typeName(value));
        }
        return value.asJsonObject();
    }

    JsonArray array(JsonValue value, String path) {
        if (value.getValueType() != ValueType.ARRAY) {
            throw new ConfigException(path, "must be an array, but it is " + Json.typeName(value));
        }
        return value.asJsonArray();
    }

    String asString(JsonValue value, String path) {
        if (value.getValueType() != ValueType.STRING) {
            throw new ConfigException(path, "must be a string, but it is " + Json.typeName(value));
        }
        return ((JsonString) value).getString();
    }

    String string(JsonObject parent, String name, String path, boolean required) {
        String field = path + "." + name;
        JsonValue value = parent.get(name);
        if (value == null || value.getValueType() == ValueType.NULL) {
            if (required) {
                throw new ConfigException(field, "is required");
            }
            return null;
        }
        return substitute(asString(value, field), field);
    }

    String substitute(String value, String field) {
        return EnvSubstitution.apply(value, field, env);
    }

    boolean bool(JsonObject object, String name, String path, boolean defaultValue) {
        JsonValue value = object.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value.getValueType() != ValueType.TRUE && value.getValueType() != ValueType.FALSE) {
            throw new ConfigException(path + "." + name, "must be true or false, but it is " + Json.typeName(value));
        }
        return value.getValueType() == ValueType.TRUE;
    }

    int nonNegativeInt(JsonValue value, String path) {
        if (value instanceof JsonNumber number && number.isIntegral() && number.bigDecimalValue().signum() == 0) {
            return 0;
        }
        return positiveInt(value, path);
    }

    int positiveInt(JsonValue value, String path) {
        if (!(value instanceof JsonNumber number) || !number.isIntegral()
                || number.bigDecimalValue().compareTo(BigDecimal.ONE) < 0
                || number.bigDecimalValue().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new ConfigException(path, "must be a positive whole number");
        }
        return number.intValue();
    }

    long optionalPositive(JsonObject object, String name, String path, long defaultValue) {
        return object.containsKey(name) ? positiveInt(object.get(name), path + "." + name) : defaultValue;
    }
}
