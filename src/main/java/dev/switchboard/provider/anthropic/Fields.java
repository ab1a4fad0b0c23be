package dev.switchboard.provider.anthropic;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Null-tolerant reads of JSON-P trees: absent members and JSON null read as Java null, and a
 * member of the wrong type reads as absent (the request parser has already rejected wrong types in
 * the fields it knows). Shared and stateless.
 */
final class Fields {
    private Fields() {
    }

    static String string(JsonObject object, String name) {
        return object != null && object.get(name) instanceof JsonString s ? s.getString() : null;
    }

    static JsonObject object(JsonObject object, String name) {
        return object != null && object.get(name) instanceof JsonObject o ? o : null;
    }

    static JsonArray array(JsonObject object, String name) {
        return object != null && object.get(name) instanceof JsonArray a ? a : null;
    }

    static JsonNumber number(JsonObject object, String name) {
        return object != null && object.get(name) instanceof JsonNumber n ? n : null;
    }

    /** A counter that may be absent or null; absent counts as zero. */
    static long count(JsonObject object, String name) {
        JsonNumber number = number(object, name);
        return number == null ? 0 : number.longValue();
    }

    /** Whether the member is present with a value other than JSON null. */
    static boolean present(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value != null && value.getValueType() != JsonValue.ValueType.NULL;
    }

    /** Text that Anthropic would reject as a block: empty or whitespace only (anthropic-messages.md §3.1). */
    static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
