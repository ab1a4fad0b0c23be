package dev.switchboard.json;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Null-tolerant reads of JSON-P trees, for the translators: an absent member and JSON null both
 * read as Java null, and a member of the wrong type reads as absent (the request parser has
 * already refused wrong types in the fields it knows, and upstream replies are read leniently).
 * Members may be named by a {@link Name} that also accepts a second spelling. Shared and stateless.
 */
public final class JsonFields {
    private JsonFields() {
    }

    /**
     * A member name with an optional second spelling that is read when the first is absent.
     * Built once, as a constant: looking a member up then costs no string building.
     *
     * @param alias the other spelling, or null when there is none
     */
    public record Name(String name, String alias) {
        /**
         * A proto3 JSON member: the lowerCamelCase name a Google API sends, and its snake_case
         * original, which proto3 JSON parsers must accept too and which some gateways and proxies
         * emit (docs/protocols/openai-to-gemini.md A1: "Emit camelCase; accept either when parsing").
         */
        public static Name proto(String camelCase) {
            String snake = snakeCase(camelCase);
            return new Name(camelCase, snake.equals(camelCase) ? null : snake);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The member, or null when it is absent or JSON null. */
    public static JsonValue get(JsonObject object, String name) {
        if (object == null) {
            return null;
        }
        JsonValue value = object.get(name);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : value;
    }

    /** The member under either spelling (the first one wins), or null when absent or JSON null. */
    public static JsonValue get(JsonObject object, Name name) {
        JsonValue value = get(object, name.name());
        return value == null && name.alias() != null ? get(object, name.alias()) : value;
    }

    public static String string(JsonObject object, String name) {
        return get(object, name) instanceof JsonString s ? s.getString() : null;
    }

    public static String string(JsonObject object, Name name) {
        return get(object, name) instanceof JsonString s ? s.getString() : null;
    }

    public static JsonObject object(JsonObject object, String name) {
        return get(object, name) instanceof JsonObject o ? o : null;
    }

    public static JsonObject object(JsonObject object, Name name) {
        return get(object, name) instanceof JsonObject o ? o : null;
    }

    public static JsonArray array(JsonObject object, String name) {
        return get(object, name) instanceof JsonArray a ? a : null;
    }

    public static JsonArray array(JsonObject object, Name name) {
        return get(object, name) instanceof JsonArray a ? a : null;
    }

    public static JsonNumber number(JsonObject object, String name) {
        return get(object, name) instanceof JsonNumber n ? n : null;
    }

    /** An integer member as a long, or {@code absent} when it is missing or not a number. */
    public static long longValue(JsonObject object, String name, long absent) {
        return get(object, name) instanceof JsonNumber n ? n.longValue() : absent;
    }

    public static long longValue(JsonObject object, Name name, long absent) {
        return get(object, name) instanceof JsonNumber n ? n.longValue() : absent;
    }

    /** A counter that may be absent or null; absent counts as zero. */
    public static long count(JsonObject object, String name) {
        return longValue(object, name, 0);
    }

    /** Whether the member is present with a value other than JSON null. */
    public static boolean present(JsonObject object, String name) {
        return get(object, name) != null;
    }

    public static boolean isTrue(JsonObject object, String name) {
        return get(object, name) == JsonValue.TRUE;
    }

    public static boolean isTrue(JsonObject object, Name name) {
        return get(object, name) == JsonValue.TRUE;
    }

    /** {@code responseId} → {@code response_id}: an underscore before each upper-case letter, lowered. */
    static String snakeCase(String camelCase) {
        StringBuilder out = new StringBuilder(camelCase.length() + 4);
        for (int i = 0; i < camelCase.length(); i++) {
            char c = camelCase.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
