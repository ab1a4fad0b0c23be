package dev.switchboard.provider.anthropic;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.JsonFields;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's tool choice, read from {@code tool_choice} or the legacy {@code function_call}
 * (docs/protocols/openai-chat.md §4.3). Both the request mapper and the reply translators read it, so that they
 * agree on whether the JSON-mode tool is in play. Per request; immutable.
 *
 * @param name the function a {@link Mode#NAMED} choice forces, else null
 * @param allowed the tool names an {@code allowed_tools} choice keeps, in the client's order, with
 *     null for an entry that names no function; null when the choice is not {@code allowed_tools}
 *     (all tools)
 * @param param the field the choice was read from, {@code tool_choice} or {@code function_call},
 *     for errors to name
 */
record ToolChoice(Mode mode, String name, List<String> allowed, String param) {
    enum Mode {
        /** Nothing sent: Anthropic's default (auto when tools are present). */
        DEFAULT, AUTO, NONE, REQUIRED, NAMED;

        /** Whether the client demands a tool call, so that a text (or JSON) answer is not wanted. */
        boolean forcesTool() {
            return this == REQUIRED || this == NAMED;
        }
    }

    static final ToolChoice DEFAULT = new ToolChoice(Mode.DEFAULT, null, null, "tool_choice");

    /**
     * Whether the choice only makes sense with tools declared: it forces a call ({@code required},
     * a named function) or picks among tools ({@code allowed_tools}). Only none and auto, or no
     * choice, may come without tools.
     */
    boolean needsTools() {
        return mode.forcesTool() || allowed != null;
    }

    /** The field naming a {@link Mode#NAMED} choice's function, for errors. */
    String nameParam() {
        return param.equals("function_call") ? param + ".name" : param + ".function.name";
    }

    /**
     * @throws dev.switchboard.error.GatewayException (400) for a choice Claude has no equivalent for
     */
    static ToolChoice of(JsonObject request) {
        String param = "tool_choice";
        JsonValue value = request.get(param);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            param = "function_call";
            value = request.get(param);
        }
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return DEFAULT;
        }
        if (value instanceof JsonString string) {
            return switch (string.getString()) {
                case "auto" -> new ToolChoice(Mode.AUTO, null, null, param);
                case "none" -> new ToolChoice(Mode.NONE, null, null, param);
                case "required" -> new ToolChoice(Mode.REQUIRED, null, null, param);
                default -> throw ErrorKind.INVALID_REQUEST.exception(param, "'" + param
                        + "' must be none, auto, required or an object, not '" + string.getString() + "'.");
            };
        }
        JsonObject object = value.asJsonObject();
        if (param.equals("function_call")) {
            return named(JsonFields.string(object, "name"), param);
        }
        String type = JsonFields.string(object, "type");
        if ("function".equals(type)) {
            return named(JsonFields.string(JsonFields.object(object, "function"), "name"), param);
        }
        if ("allowed_tools".equals(type)) {
            return allowedTools(JsonFields.object(object, "allowed_tools"), param + ".allowed_tools");
        }
        throw ErrorKind.UNSUPPORTED_PARAMETER.exception(param + ".type", "A '" + type
                + "' tool_choice has no Claude equivalent; use none, auto, required or a function.");
    }

    private static ToolChoice named(String name, String param) {
        ToolChoice choice = new ToolChoice(Mode.NAMED, name, null, param);
        if (name == null) {
            throw ErrorKind.INVALID_REQUEST.exception(choice.nameParam(), "'" + choice.nameParam() + "' is required.");
        }
        return choice;
    }

    /**
     * Claude has no subset choice: the mapper sends only the allowed tools instead
     * (docs/protocols/openai-to-anthropic.md §3.2), and
     * checks there that each names a declared tool.
     */
    private static ToolChoice allowedTools(JsonObject allowedTools, String param) {
        JsonArray tools = JsonFields.array(allowedTools, "tools");
        if (tools == null) {
            throw ErrorKind.INVALID_REQUEST.exception(param + ".tools", "'" + param + ".tools' is required.");
        }
        List<String> names = new ArrayList<>(tools.size());
        for (JsonValue tool : tools) {
            names.add(tool instanceof JsonObject o ? JsonFields.string(JsonFields.object(o, "function"), "name") : null);
        }
        Mode mode = "required".equals(JsonFields.string(allowedTools, "mode")) ? Mode.REQUIRED : Mode.AUTO;
        return new ToolChoice(mode, null, names, "tool_choice");
    }
}
