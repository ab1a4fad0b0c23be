package dev.switchboard.llm;

import jakarta.json.JsonObject;

/**
 * The form the answer must take. Immutable.
 *
 * @param name the schema's name (Chat and Responses require one), or null
 * @param schema the JSON Schema for {@link Kind#JSON_SCHEMA}, else null
 * @param description what the schema is for, or null
 */
public record ResponseFormat(Kind kind, String name, JsonObject schema, boolean strict, String description) {
    public enum Kind { TEXT, JSON, JSON_SCHEMA }

    public static final ResponseFormat TEXT = new ResponseFormat(Kind.TEXT, null, null, false, null);
}
