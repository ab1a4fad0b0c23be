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

    private enum Format { TEXT, JSON_OBJECT, JSON_SCHEMA }

    private JsonMode() {
    }

    /**
     * Whether the synthetic tool is in play: a JSON format was asked for and the client does not
     * force a tool call of its own (then no text answer is expected, so there is nothing to format).
     */
    static boolean active(JsonObject request) {
        return format(request) != Format.TEXT && !ToolChoice.of(request).mode().forcesTool();
    }

    /** The synthetic tool's definition for an {@link #active} request. */
    static JsonObject tool(JsonObject request) {
        JsonObject responseFormat = JsonFields.object(request, "response_format");
        String description = TOOL_DESCRIPTION;
        JsonObject schema = Json.PROVIDER.createObjectBuilder().add("type", "object")
                .add("additionalProperties", true).build();
        if (format(request) == Format.JSON_SCHEMA) {
            JsonObject jsonSchema = JsonFields.object(responseFormat, "json_schema");
            if (jsonSchema == null) {
                throw ErrorKind.INVALID_REQUEST.exception("response_format.json_schema",
                        "'response_format.json_schema' is required when the type is json_schema.");
            }
            String clientDescription = JsonFields.string(jsonSchema, "description");
            if (!ContentParts.isBlank(clientDescription)) {
                description = description + " " + clientDescription;
            }
            if (JsonFields.present(jsonSchema, "schema")) {
                schema = objectSchema(JsonFields.object(jsonSchema, "schema"));
            }
        }
        return Json.PROVIDER.createObjectBuilder().add("name", TOOL_NAME).add("description", description)
                .add("input_schema", schema).build();
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

    private static Format format(JsonObject request) {
        JsonObject responseFormat = JsonFields.object(request, "response_format");
        String type = JsonFields.string(responseFormat, "type");
        if (type == null) {
            return Format.TEXT;
        }
        return switch (type) {
            case "text" -> Format.TEXT;
            case "json_object" -> Format.JSON_OBJECT;
            case "json_schema" -> Format.JSON_SCHEMA;
            default -> throw ErrorKind.INVALID_REQUEST.exception("response_format.type",
                    "'response_format.type' must be text, json_object or json_schema, not '" + type + "'.");
        };
    }
}
