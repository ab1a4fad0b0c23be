package dev.switchboard.provider.anthropic;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * OpenAI's {@code response_format} {@code json_object} / {@code json_schema}, done with a
 * synthetic tool (docs/protocols/openai-to-anthropic.md §4, option b): the request offers a {@link #TOOL_NAME}
 * tool whose input schema is the client's schema and makes Claude call a tool; the reply
 * translators turn that call's input into the message {@code content} and report
 * {@code finish_reason:"stop"}. Shared and stateless.
 *
 * <p>Why not Anthropic's native {@code output_config.format}: it exists only on Claude 4.5 and
 * later, has no schema-less mode for {@code json_object}, and rejects common JSON Schema keywords
 * ({@code minLength}, {@code maximum} …) unless the schema is rewritten. A forced tool works on
 * every Claude model with tool use and takes the schema as the client wrote it. The cost: a
 * forced tool excludes extended thinking, so thinking is dropped in JSON mode.
 */
final class JsonMode {
    /** The synthetic tool; a client tool of the same name is refused while JSON mode is on. */
    static final String TOOL_NAME = "json_response";
    static final String TOOL_DESCRIPTION =
            "Give your final answer by calling this tool; its input is the JSON the user asked for.";

    private JsonMode() {
    }

    /**
     * Tool inputs are JSON objects, so the schema must describe one. OpenAI requires an object
     * root for structured outputs as well; a schema without {@code type} is taken as one.
     */
    static JsonObject objectSchema(JsonObject schema) {
        String param = "response_format.json_schema.schema";
        if (schema == null) {
            throw ErrorKind.INVALID_REQUEST.exception(param, "'" + param + "' must be a JSON Schema object.");
        }
        String type = JsonFields.string(schema, "type");
        if (type == null && !JsonFields.present(schema, "type")) {
            JsonObjectBuilder withType = Json.PROVIDER.createObjectBuilder().add("type", "object");
            schema.forEach(withType::add);
            return withType.build();
        }
        if (!"object".equals(type)) {
            throw ErrorKind.UNSUPPORTED_PARAMETER.exception(param + ".type",
                    "The root of '" + param + "' must have type object for Claude.");
        }
        return schema;
    }
}
