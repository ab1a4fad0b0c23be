package dev.switchboard.llm;

import jakarta.json.JsonObject;

/**
 * A function the client offers the model. Immutable.
 *
 * @param schema the JSON Schema of its arguments, or null for none
 * @param cacheControl Anthropic's {@code cache_control}, or null
 */
public record Tool(String name, String description, JsonObject schema, JsonObject cacheControl, String path) {
}
