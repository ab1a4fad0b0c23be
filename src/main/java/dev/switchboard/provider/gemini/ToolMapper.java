package dev.switchboard.provider.gemini;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps {@code tools} and {@code tool_choice} (and their deprecated predecessors {@code functions}
 * and {@code function_call}) to Gemini's {@code tools} and {@code toolConfig}
 * (docs/protocols/openai-to-gemini.md A2.3, B3). Stateless.
 *
 * <ul>
 * <li>Every function goes into one {@code functionDeclarations} list, with its schema cleaned by
 *     {@link SchemaCleaner} into {@code parameters}; a function without properties is declared
 *     without {@code parameters}, since Gemini rejects an OBJECT with empty properties (A2.3).
 *     {@code strict} is dropped. Custom tools have no Gemini counterpart: 400.</li>
 * <li>Gemini names must start with a letter or underscore (A2.3); OpenAI also allows a digit or
 *     hyphen first. Such a name is a 400 rather than a silent rename the client would not
 *     recognise in the reply.</li>
 * <li>{@code tool_choice}: {@code auto} → AUTO, {@code none} → NONE, {@code required} → ANY, a
 *     named function → ANY with {@code allowedFunctionNames}; {@code allowed_tools} with mode
 *     {@code required} → ANY with those names, with mode {@code auto} → AUTO with only those
 *     functions declared (allowedFunctionNames is for ANY only; B3 calls filtering the portable
 *     choice).</li>
 * <li>Without any function declared only {@code auto} and {@code none} (or no choice) pass: a
 *     choice that forces or picks a function is a 400, as at OpenAI, rather than a silently
 *     dropped config that would leave the client waiting for a call that never comes.</li>
 * </ul>
 */
final class ToolMapper {
    /** Gemini's function-name rule (A2.3). */
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,127}");

    /** A tool without {@code type} is a function tool, OpenAI's only type before custom tools. */
    static final String DEFAULT_TOOL_TYPE = "function";
    /** {@code allowed_tools} without a mode lets the model choose, like {@code tool_choice: auto}. */
    static final String DEFAULT_ALLOWED_TOOLS_MODE = "auto";

    static final String AUTO = "AUTO";
    static final String NONE = "NONE";
    static final String ANY = "ANY";

    /** {@code toolConfig} is null when the client left the choice to the model (Gemini's default is AUTO). */
    record Tools(JsonArray tools, JsonObject toolConfig) {
    }

    /** A mode and the names it is restricted to (empty: all), plus the declarations to keep (null: all). */
    private record Choice(String mode, List<String> allowed, Set<String> keep) {
    }

    private ToolMapper() {
    }

    /**
     * The tools part of the body, or null when the request declares no function.
     *
     * @param budget the request's: the cleaned schemas count against it
     *
     * @throws GatewayException (400) for a choice that needs functions the request does not declare
     */
    static Tools map(JsonObject request, TranslationBudget budget) {
        Map<String, JsonObject> declarations = declarations(request, budget);
        JsonValue toolChoice = request.get("tool_choice");
        if (declarations.isEmpty()) {
            refuseChoiceNeedingTools(toolChoice, request.get("function_call"));
            return null;
        }
        Choice choice = toolChoice != null && toolChoice.getValueType() != JsonValue.ValueType.NULL
                ? toolChoice(toolChoice, declarations)
                : legacyChoice(request.get("function_call"), declarations);
        JsonArrayBuilder kept = Json.PROVIDER.createArrayBuilder();
        declarations.forEach((name, declaration) -> {
            if (choice == null || choice.keep() == null || choice.keep().contains(name)) {
                kept.add(declaration);
            }
        });
        JsonArray tools = Json.PROVIDER.createArrayBuilder()
                .add(Json.PROVIDER.createObjectBuilder().add("functionDeclarations", kept)).build();
        if (choice == null) {
            return new Tools(tools, null);
        }
        JsonObjectBuilder config = Json.PROVIDER.createObjectBuilder().add("mode", choice.mode());
        if (!choice.allowed().isEmpty()) {
            config.add("allowedFunctionNames", Json.PROVIDER.createArrayBuilder(choice.allowed()));
        }
        return new Tools(tools, Json.PROVIDER.createObjectBuilder().add("functionCallingConfig", config).build());
    }

    private static Map<String, JsonObject> declarations(JsonObject request, TranslationBudget budget) {
        Map<String, JsonObject> declarations = new LinkedHashMap<>();
        if (request.get("tools") instanceof JsonArray tools) {
            for (int i = 0; i < tools.size(); i++) {
                JsonObject tool = tools.getJsonObject(i);
                String path = "tools[" + i + "]";
                String type = tool.get("type") instanceof JsonString s ? s.getString() : DEFAULT_TOOL_TYPE;
                if (!type.equals("function")) {
                    throw invalid(path + ".type", path + " is a '" + type
                            + "' tool; Gemini supports only function tools.");
                }
                if (!(tool.get("function") instanceof JsonObject function)) {
                    throw invalid(path + ".function", path + ".function must be an object.");
                }
                declare(declarations, function, path + ".function", budget);
            }
        } else if (request.get("functions") instanceof JsonArray functions) {
            for (int i = 0; i < functions.size(); i++) {
                if (!(functions.get(i) instanceof JsonObject function)) {
                    throw invalid("functions[" + i + "]", "functions[" + i + "] must be an object.");
                }
                declare(declarations, function, "functions[" + i + "]", budget);
            }
        }
        return declarations;
    }

    private static void declare(Map<String, JsonObject> declarations, JsonObject function, String path,
                                TranslationBudget budget) {
        if (!(function.get("name") instanceof JsonString nameValue)) {
            throw invalid(path + ".name", path + ".name must be a string.");
        }
        String name = nameValue.getString();
        if (!NAME.matcher(name).matches()) {
            throw invalid(path + ".name", path + ".name '" + name + "' is not a valid Gemini function name: it must"
                    + " start with a letter or underscore and hold at most 128 of a-z, A-Z, 0-9, _ . : -.");
        }
        JsonObjectBuilder declaration = Json.PROVIDER.createObjectBuilder().add("name", name);
        if (function.get("description") instanceof JsonString description) {
            declaration.add("description", description);
        }
        if (function.get("parameters") instanceof JsonObject parameters) {
            JsonObject cleaned = SchemaCleaner.clean(parameters, path + ".parameters", budget);
            if (!takesNothing(cleaned)) {
                declaration.add("parameters", cleaned);
            }
        }
        declarations.put(name, declaration.build());
    }

    /** An object schema without properties: the function takes no arguments. */
    private static boolean takesNothing(JsonObject schema) {
        boolean noProperties = !(schema.get("properties") instanceof JsonObject properties) || properties.isEmpty();
        boolean objectOrUntyped = schema.get("type") == null
                || schema.get("type") instanceof JsonString type && type.getString().equals("OBJECT");
        return noProperties && objectOrUntyped && schema.get("anyOf") == null;
    }

    private static Choice toolChoice(JsonValue value, Map<String, JsonObject> declarations) {
        if (value instanceof JsonString mode) {
            return switch (mode.getString()) {
                case "auto" -> new Choice(AUTO, List.of(), null);
                case "none" -> new Choice(NONE, List.of(), null);
                case "required" -> new Choice(ANY, List.of(), null);
                default -> throw invalid("tool_choice", "'tool_choice' must be 'auto', 'none', 'required' or an object,"
                        + " not '" + mode.getString() + "'.");
            };
        }
        JsonObject object = (JsonObject) value;
        String type = object.get("type") instanceof JsonString s ? s.getString() : "";
        switch (type) {
            case "function" -> {
                String name = object.get("function") instanceof JsonObject function
                        && function.get("name") instanceof JsonString s ? s.getString() : null;
                return new Choice(ANY, List.of(declared(name, declarations, "tool_choice.function.name")), null);
            }
            case "allowed_tools" -> {
                JsonObject allowedTools = object.get("allowed_tools") instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
                List<String> names = new ArrayList<>();
                if (allowedTools.get("tools") instanceof JsonArray tools) {
                    for (int i = 0; i < tools.size(); i++) {
                        String name = tools.get(i) instanceof JsonObject tool && tool.get("function") instanceof JsonObject f
                                && f.get("name") instanceof JsonString s ? s.getString() : null;
                        names.add(declared(name, declarations, "tool_choice.allowed_tools.tools[" + i + "]"));
                    }
                }
                if (names.isEmpty()) {
                    throw invalid("tool_choice.allowed_tools.tools", "'tool_choice.allowed_tools.tools' must name at least one"
                            + " of the declared functions " + declarations.keySet() + ".");
                }
                String mode = allowedTools.get("mode") instanceof JsonString s ? s.getString() : DEFAULT_ALLOWED_TOOLS_MODE;
                return mode.equals("required")
                        ? new Choice(ANY, names, null)
                        : new Choice(AUTO, List.of(), Set.copyOf(names));
            }
            default -> throw invalid("tool_choice.type", "'tool_choice' of type '" + type
                    + "' cannot be sent to Gemini; use 'function' or 'allowed_tools'.");
        }
    }

    /** The deprecated {@code function_call}: "none", "auto" or {"name": X}. */
    private static Choice legacyChoice(JsonValue value, Map<String, JsonObject> declarations) {
        if (value instanceof JsonString mode) {
            return switch (mode.getString()) {
                case "auto" -> new Choice(AUTO, List.of(), null);
                case "none" -> new Choice(NONE, List.of(), null);
                default -> throw invalid("function_call", "'function_call' must be 'auto', 'none' or {\"name\": ...}.");
            };
        }
        if (value instanceof JsonObject object) {
            String name = object.get("name") instanceof JsonString s ? s.getString() : null;
            return new Choice(ANY, List.of(declared(name, declarations, "function_call.name")), null);
        }
        return null;
    }

    /**
     * With no function declared, a {@code required}, named or {@code allowed_tools} choice (or a
     * named {@code function_call}) cannot be honoured. Any other choice passes: without functions
     * no {@code toolConfig} is sent.
     */
    private static void refuseChoiceNeedingTools(JsonValue toolChoice, JsonValue functionCall) {
        String param = null;
        if (toolChoice instanceof JsonObject || toolChoice instanceof JsonString s && s.getString().equals("required")) {
            param = "tool_choice";
        } else if ((toolChoice == null || toolChoice.getValueType() == JsonValue.ValueType.NULL)
                && functionCall instanceof JsonObject) {
            param = "function_call";
        }
        if (param != null) {
            throw invalid(param, "'" + param + "' requires tools, but the request declares none; declare them in"
                    + " 'tools', or send 'auto' or 'none'.");
        }
    }

    private static String declared(String name, Map<String, JsonObject> declarations, String param) {
        if (name == null || !declarations.containsKey(name)) {
            throw invalid(param, "'" + param + "' must name one of the declared functions " + declarations.keySet() + ".");
        }
        return name;
    }

    private static GatewayException invalid(String param, String message) {
        return ErrorKind.INVALID_REQUEST.exception(param, message);
    }
}
