package dev.switchboard.provider.anthropic;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.ResponseFormat;
import dev.switchboard.llm.Tool;
import dev.switchboard.llm.ToolChoice;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The internal model's tools, tool choice and response format as Anthropic's {@code tools} and
 * {@code tool_choice} (docs/protocols/openai-to-anthropic.md §3, §4): each tool keeps its
 * {@code cache_control}; a JSON answer is asked for
 * with the synthetic {@link JsonMode#TOOL_NAME} tool; a history with tool blocks but no tools
 * declares the tools it used with choice none. Shared and stateless.
 */
final class LlmTools {
    /** The schema of a function declared without parameters, and of tools synthesised from history. */
    static final JsonObject EMPTY_OBJECT_SCHEMA = Json.PROVIDER.createObjectBuilder().add("type", "object")
            .add("properties", JsonValue.EMPTY_JSON_OBJECT).build();

    /**
     * What goes into the request.
     *
     * @param tools Anthropic's {@code tools}, or null to send none
     * @param choice Anthropic's {@code tool_choice}, or null to send none
     */
    record Setup(JsonArray tools, JsonObject choice) {
        /** Whether Claude must call a tool: "any" or "tool", which exclude extended thinking (§3.2). */
        boolean forced() {
            String type = choice == null ? null : choice.getString("type");
            return "any".equals(type) || "tool".equals(type);
        }
    }

    private LlmTools() {
    }

    /** Whether the JSON-mode tool is in play: a JSON answer is wanted and no tool call is forced. */
    static boolean jsonMode(LlmRequest request) {
        ToolChoice.Mode mode = request.toolChoice().mode();
        return request.responseFormat().kind() != ResponseFormat.Kind.TEXT
                && mode != ToolChoice.Mode.REQUIRED && mode != ToolChoice.Mode.NAMED;
    }

    /** @throws dev.switchboard.error.GatewayException (400) for a choice the tools cannot satisfy */
    static Setup map(LlmRequest request, LlmTurns turns) {
        ToolChoice choice = request.toolChoice();
        boolean jsonMode = jsonMode(request);
        JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        Set<String> declared = new LinkedHashSet<>();
        for (Tool tool : request.tools()) {
            if (jsonMode && tool.name().equals(JsonMode.TOOL_NAME)) {
                throw ErrorKind.UNSUPPORTED_PARAMETER.exception(tool.path() + ".name", "The tool name '"
                        + JsonMode.TOOL_NAME + "' is reserved by Switchboard for structured output on Claude.");
            }
            declared.add(tool.name());
            array.add(tool(tool));
        }
        boolean forcing = choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.NAMED;
        if (declared.isEmpty() && forcing) {
            throw ErrorKind.INVALID_REQUEST.exception("tool_choice", "'tool_choice' requires tools, but the request"
                    + " declares none.");
        }
        if (choice.mode() == ToolChoice.Mode.NAMED && !declared.contains(choice.name())) {
            throw ErrorKind.INVALID_REQUEST.exception("tool_choice", "'tool_choice' must name one of the declared tools "
                    + declared + ", not '" + choice.name() + "'.");
        }
        if (jsonMode) {
            array.add(jsonTool(request.responseFormat()));
        }
        if (declared.isEmpty() && !jsonMode) {
            return turns.hasToolBlocks() ? historyOnly(turns) : new Setup(null, null);
        }
        String type;
        if (jsonMode) {
            type = !declared.isEmpty() && choice.mode() != ToolChoice.Mode.NONE ? "any" : "tool";
        } else {
            type = switch (choice.mode()) {
                case AUTO -> choice.parallel() && !choice.stated() ? null : "auto";
                case NONE -> "none";
                case REQUIRED -> "any";
                case NAMED -> "tool";
            };
        }
        JsonObject anthropicChoice = null;
        if (type != null) {
            JsonObjectBuilder builder = Json.PROVIDER.createObjectBuilder().add("type", type);
            if (type.equals("tool")) {
                builder.add("name", jsonMode ? JsonMode.TOOL_NAME : choice.name());
            }
            if (!choice.parallel() && !type.equals("none")) {
                builder.add("disable_parallel_tool_use", true);
            }
            anthropicChoice = builder.build();
        }
        return new Setup(array.build(), anthropicChoice);
    }

    private static JsonObject tool(Tool tool) {
        JsonObjectBuilder out = Json.PROVIDER.createObjectBuilder().add("name", tool.name());
        if (!ContentParts.isBlank(tool.description())) {
            out.add("description", tool.description());
        }
        out.add("input_schema", inputSchema(tool.schema(), tool.path() + ".parameters"));
        if (tool.cacheControl() != null) {
            out.add("cache_control", tool.cacheControl());
        }
        return out.build();
    }

    /** Anthropic requires an object schema with {@code type:"object"} (docs/protocols/anthropic-messages.md §4.1). */
    private static JsonObject inputSchema(JsonObject schema, String path) {
        if (schema == null) {
            return EMPTY_OBJECT_SCHEMA;
        }
        if (!JsonFields.present(schema, "type")) {
            JsonObjectBuilder withType = Json.PROVIDER.createObjectBuilder().add("type", "object");
            schema.forEach(withType::add);
            return withType.build();
        }
        if (!"object".equals(JsonFields.string(schema, "type"))) {
            throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".type", path
                    + ".type must be object: Claude's tool inputs are JSON objects.");
        }
        return schema;
    }

    private static JsonObject jsonTool(ResponseFormat format) {
        String description = JsonMode.TOOL_DESCRIPTION;
        JsonObject schema = Json.PROVIDER.createObjectBuilder().add("type", "object")
                .add("additionalProperties", true).build();
        if (format.kind() == ResponseFormat.Kind.JSON_SCHEMA) {
            if (!ContentParts.isBlank(format.description())) {
                description = description + " " + format.description();
            }
            schema = JsonMode.objectSchema(format.schema());
        }
        return Json.PROVIDER.createObjectBuilder().add("name", JsonMode.TOOL_NAME).add("description", description)
                .add("input_schema", schema).build();
    }

    private static Setup historyOnly(LlmTurns turns) {
        JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        for (String name : turns.toolNamesUsed()) {
            array.add(Json.PROVIDER.createObjectBuilder().add("name", name).add("input_schema", EMPTY_OBJECT_SCHEMA));
        }
        JsonArray tools = array.build();
        return tools.isEmpty() ? new Setup(null, null)
                : new Setup(tools, Json.PROVIDER.createObjectBuilder().add("type", "none").build());
    }
}
