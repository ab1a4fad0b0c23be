package dev.switchboard.provider.gemini;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Reads members of Gemini's JSON under either proto3 JSON spelling: the lowerCamelCase the API
 * sends and the snake_case that proto3 parsers must also accept and that some gateways and proxies
 * emit (openai-to-gemini.md A1, "Emit camelCase; accept either when parsing"). JSON null counts as
 * absent. Stateless.
 */
final class GeminiFields {
    private GeminiFields() {
    }

    /** The member named {@code camelName} (or its snake_case twin), or null when absent or JSON null. */
    static JsonValue get(JsonObject object, String camelName) {
        JsonValue value = object.get(camelName);
        if (value == null) {
            String snake = snake(camelName);
            if (!snake.equals(camelName)) {
                value = object.get(snake);
            }
        }
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : value;
    }

    static JsonObject object(JsonObject object, String camelName) {
        return get(object, camelName) instanceof JsonObject value ? value : null;
    }

    static JsonArray array(JsonObject object, String camelName) {
        return get(object, camelName) instanceof JsonArray value ? value : null;
    }

    static String string(JsonObject object, String camelName) {
        return get(object, camelName) instanceof JsonString value ? value.getString() : null;
    }

    /** An integer member, or {@code absent} when missing or not a number. */
    static long number(JsonObject object, String camelName, long absent) {
        return get(object, camelName) instanceof JsonNumber value ? value.longValue() : absent;
    }

    static boolean isTrue(JsonObject object, String camelName) {
        return get(object, camelName) == JsonValue.TRUE;
    }

    static String snake(String camelName) {
        StringBuilder out = null;
        for (int i = 0; i < camelName.length(); i++) {
            char c = camelName.charAt(i);
            if (Character.isUpperCase(c)) {
                if (out == null) {
                    out = new StringBuilder(camelName.length() + 4).append(camelName, 0, i);
                }
                out.append('_').append(Character.toLowerCase(c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? camelName : out.toString();
    }
}
