package dev.switchboard.provider.anthropic;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps {@code tools} (or legacy {@code functions}), {@code tool_choice} and
 * {@code parallel_tool_calls} to Anthropic's {@code tools} and {@code tool_choice}
 * (docs/protocols/openai-to-anthropic.md §3), adding the JSON-mode tool when {@link JsonMode} is active.
 * Shared and stateless.
 */
final class Tools {
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

    private Tools() {
    }

    static Setup map(JsonObject request, Conversation conversation) {
        ToolChoice choice = ToolChoice.of(request);
        boolean jsonMode = JsonMode.active(request);
        List<JsonObject> tools = clientTools(request, choice, jsonMode);
        boolean clientTools = !tools.isEmpty();
        if (jsonMode) {
            tools.add(JsonMode.tool(request));
        }
        if (tools.isEmpty()) {
            if (conversation.hasToolBlocks()) {
                return historyOnly(conversation);
            }
            // none or auto without tools means nothing (checkChoice refused the others), and
            // Anthropic refuses a tool_choice without tools.
            return new Setup(null, null);
        }
        String type = anthropicChoiceType(choice, jsonMode, clientTools);
        boolean serial = request.get("parallel_tool_calls") == JsonValue.FALSE;
        if (serial && type == null) {
            // LiteLLM's rule: parallel_tool_calls:false alone still needs a tool_choice to carry it.
            type = "auto";
        }
        JsonObject anthropicChoice = null;
        if (type != null) {
            JsonObjectBuilder builder = Json.PROVIDER.createObjectBuilder().add("type", type);
            if (type.equals("tool")) {
                builder.add("name", jsonMode ? JsonMode.TOOL_NAME : choice.name());
            }
            if (serial && !type.equals("none")) {
                builder.add("disable_parallel_tool_use", true);
            }
            anthropicChoice = builder.build();
        }
        JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        tools.forEach(array::add);
        return new Setup(array.build(), anthropicChoice);
    }

    /** Anthropic's tool_choice type (auto, any, tool, none), or null to send none. */
    private static String anthropicChoiceType(ToolChoice choice, boolean jsonMode, boolean clientTools) {
        if (jsonMode) {
            // A tool call is required so that the answer arrives as the JSON tool's input; when
            // client tools may be used too, Claude picks between them and the JSON tool.
            return clientTools && choice.mode() != ToolChoice.Mode.NONE ? "any" : "tool";
        }
        return switch (choice.mode()) {
            case DEFAULT -> null;
            case AUTO -> "auto";
            case NONE -> "none";
            case REQUIRED -> "any";
            case NAMED -> "tool";
        };
    }

    /**
     * Anthropic rejects a history with tool blocks unless {@code tools} is defined ("Requests which
     * include tool_use or tool_result blocks must define tools"). A client that sends no tools
     * cannot want any called, so the tools named in the history are declared and
     * {@code tool_choice} is none.
     */
    private static Setup historyOnly(Conversation conversation) {
        JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        for (String name : conversation.toolNamesUsed()) {
            array.add(Json.PROVIDER.createObjectBuilder().add("name", name).add("input_schema", EMPTY_OBJECT_SCHEMA));
        }
        JsonArray tools = array.build();
        return tools.isEmpty() ? new Setup(null, null)
                : new Setup(tools, Json.PROVIDER.createObjectBuilder().add("type", "none").build());
    }

    private static List<JsonObject> clientTools(JsonObject request, ToolChoice choice, boolean jsonMode) {
        List<JsonObject> tools = declaredTools(request, jsonMode);
        checkChoice(choice, tools);
        return choice.allowed() == null ? tools : allowedOnly(tools, choice.allowed());
    }

    /**
     * A choice that forces or picks tools needs the client's own tools, and a named one must name
     * one of them, as on Gemini and at OpenAI (which answer 400). Dropping the choice instead
     * would leave the client waiting for a tool call that never comes; and Anthropic would reject
     * a {@code tool} choice naming no declared tool with a message about its own field names.
     * Tools synthesised from the history do not count: the client declared none.
     */
    private static void checkChoice(ToolChoice choice, List<JsonObject> tools) {
        if (tools.isEmpty() && choice.needsTools()) {
            throw ErrorKind.INVALID_REQUEST.exception(choice.param(), "'" + choice.param() + "' requires tools, but"
                    + " the request declares none; declare them in 'tools', or send 'auto' or 'none'.");
        }
        if (choice.mode() == ToolChoice.Mode.NAMED
                && tools.stream().noneMatch(tool -> tool.getString("name").equals(choice.name()))) {
            Set<String> declared = new LinkedHashSet<>();
            tools.forEach(tool -> declared.add(tool.getString("name")));
            throw ErrorKind.INVALID_REQUEST.exception(choice.nameParam(), "'" + choice.nameParam()
                    + "' must name one of the declared tools " + declared + ", not '" + choice.name() + "'.");
        }
    }

    /**
     * The declared tools an {@code allowed_tools} choice keeps. Every entry must name a declared
     * tool, as on Gemini: silently dropping an unknown name could leave a {@code required} choice
     * with no tool at all, and the client would never learn why its tool is not called.
     */
    private static List<JsonObject> allowedOnly(List<JsonObject> tools, List<String> allowed) {
        String param = "tool_choice.allowed_tools.tools";
        Set<String> declared = new LinkedHashSet<>();
        tools.forEach(tool -> declared.add(tool.getString("name")));
        if (allowed.isEmpty()) {
            throw ErrorKind.INVALID_REQUEST.exception(param, "'" + param + "' must name at least one of the declared"
                    + " tools " + declared + ".");
        }
        for (int i = 0; i < allowed.size(); i++) {
            if (allowed.get(i) == null || !declared.contains(allowed.get(i))) {
                String entry = param + "[" + i + "]";
                throw ErrorKind.INVALID_REQUEST.exception(entry, "'" + entry + "' must name one of the declared tools "
                        + declared + ".");
            }
        }
        List<JsonObject> kept = new ArrayList<>();
        for (JsonObject tool : tools) {
            if (allowed.contains(tool.getString("name"))) {
                kept.add(tool);
            }
        }
        return kept;
    }

    private static List<JsonObject> declaredTools(JsonObject request, boolean jsonMode) {
        List<JsonObject> tools = new ArrayList<>();
        JsonArray openAiTools = JsonFields.array(request, "tools");
        if (openAiTools != null && !openAiTools.isEmpty()) {
            for (int i = 0; i < openAiTools.size(); i++) {
                JsonObject tool = openAiTools.getJsonObject(i);
                String path = "tools[" + i + "]";
                String type = JsonFields.string(tool, "type");
                if (type != null && !type.equals("function")) {
                    throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".type", path + " is a '" + type
                            + "' tool; Claude only takes function tools.");
                }
                JsonObject function = JsonFields.object(tool, "function");
                if (function == null) {
                    throw ErrorKind.INVALID_REQUEST.exception(path + ".function", path + ".function is required.");
                }
                add(tools, function, JsonFields.object(tool, "cache_control"), path + ".function", jsonMode);
            }
        } else {
            JsonArray functions = JsonFields.array(request, "functions");
            for (int i = 0; functions != null && i < functions.size(); i++) {
                if (functions.get(i) instanceof JsonObject function) {
                    add(tools, function, null, "functions[" + i + "]", jsonMode);
                }
            }
        }
        return tools;
    }

    private static void add(List<JsonObject> tools, JsonObject function, JsonObject cacheControl, String path,
                            boolean jsonMode) {
        String name = JsonFields.string(function, "name");
        if (ContentParts.isBlank(name)) {
            throw ErrorKind.INVALID_REQUEST.exception(path + ".name", path + ".name is required.");
        }
        if (jsonMode && name.equals(JsonMode.TOOL_NAME)) {
            throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".name", "The tool name '" + JsonMode.TOOL_NAME
                    + "' is reserved by Switchboard for response_format on Claude.");
        }
        JsonObjectBuilder tool = Json.PROVIDER.createObjectBuilder().add("name", name);
        String description = JsonFields.string(function, "description");
        if (!ContentParts.isBlank(description)) {
            tool.add("description", description);
        }
        tool.add("input_schema", inputSchema(function, path + ".parameters"));
        if (cacheControl != null) {
            tool.add("cache_control", cacheControl);
        }
        // "strict" is not forwarded: Anthropic's strict tools exist only on newer models and
        // reject schema keywords OpenAI's strict mode accepts.
        tools.add(tool.build());
    }

    /** Anthropic requires an object schema with {@code type:"object"} (docs/protocols/anthropic-messages.md §4.1). */
    static JsonObject inputSchema(JsonObject function, String path) {
        JsonValue parameters = function.get("parameters");
        if (parameters == null || parameters.getValueType() == JsonValue.ValueType.NULL) {
            return EMPTY_OBJECT_SCHEMA;
        }
        if (!(parameters instanceof JsonObject schema)) {
            throw ErrorKind.INVALID_REQUEST.exception(path, path + " must be a JSON Schema object.");
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
}
