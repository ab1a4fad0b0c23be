package dev.switchboard.provider.gemini;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Tool;
import dev.switchboard.llm.ToolChoice;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps the tools and tool choice of a request in the internal model to Gemini's {@code tools}
 * and {@code toolConfig} (docs/protocols/openai-to-gemini.md A2.3, B3). Stateless.
 *
 * <ul>
 * <li>Every function goes into one {@code functionDeclarations} list, with its schema cleaned by
 *     {@link SchemaCleaner} into {@code parameters}; a function without properties is declared
 *     without {@code parameters}, since Gemini rejects an OBJECT with empty properties (A2.3).
 *     The doors have refused tools that are not functions.</li>
 * <li>Gemini names must start with a letter or underscore (A2.3); OpenAI also allows a digit or
 *     hyphen first. Such a name is a 400 rather than a silent rename the client would not
 *     recognise in the reply.</li>
 * <li>The choice: auto → AUTO (sent only when the client stated it; Gemini's default is AUTO),
 *     none → NONE, required → ANY, a named function → ANY with {@code allowedFunctionNames}. A
 *     Chat {@code allowed_tools} choice arrives as only those tools declared under auto or
 *     required (B3 calls filtering the portable choice). Gemini has no switch for parallel calls.</li>
 * <li>Without any function declared only auto and none pass: a choice that forces or names a
 *     function is a 400, as at OpenAI, rather than a silently dropped config that would leave the
 *     client waiting for a call that never comes.</li>
 * </ul>
 */
final class ToolMapper {
    /** Gemini's function-name rule (A2.3). */
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,127}");

    static final String AUTO = "AUTO";
    static final String NONE = "NONE";
    static final String ANY = "ANY";
    /** The field a 400 about the choice names: Chat's, Messages' and Responses' alike. */
    static final String CHOICE_PARAM = "tool_choice";

    /** {@code toolConfig} is null when the client left the choice to the model (Gemini's default is AUTO). */
    record Tools(JsonArray tools, JsonObject toolConfig) {
    }

    private ToolMapper() {
    }

    /**
     * The tools part of the body, or null when the request declares no function.
     *
     * @param schemaField the door's member of a tool holding its schema, for a 400 about one
     * @param budget the request's: the cleaned schemas count against it
     *
     * @throws GatewayException (400) for a choice that needs functions the request does not declare
     */
    static Tools map(LlmRequest request, String schemaField, TranslationBudget budget) {
        Map<String, JsonObject> declarations = new LinkedHashMap<>();
        for (Tool tool : request.tools()) {
            declarations.put(tool.name(), declaration(tool, schemaField, budget));
        }
        ToolChoice choice = request.toolChoice();
        boolean forces = choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.NAMED;
        if (declarations.isEmpty()) {
            if (forces) {
                throw invalid(CHOICE_PARAM, "'" + CHOICE_PARAM + "' requires tools, but the request declares none;"
                        + " declare them in 'tools', or send 'auto' or 'none'.");
            }
            return null;
        }
        JsonArrayBuilder kept = Json.PROVIDER.createArrayBuilder();
        declarations.values().forEach(kept::add);
        JsonArray tools = Json.PROVIDER.createArrayBuilder()
                .add(Json.PROVIDER.createObjectBuilder().add("functionDeclarations", kept)).build();
        if (choice.mode() == ToolChoice.Mode.AUTO && !choice.stated()) {
            return new Tools(tools, null);
        }
        JsonObjectBuilder config = Json.PROVIDER.createObjectBuilder();
        switch (choice.mode()) {
            case AUTO -> config.add("mode", AUTO);
            case NONE -> config.add("mode", NONE);
            case REQUIRED -> config.add("mode", ANY);
            case NAMED -> {
                if (!declarations.containsKey(choice.name())) {
                    throw invalid(CHOICE_PARAM, "'" + CHOICE_PARAM + "' must name one of the declared functions "
                            + declarations.keySet() + ".");
                }
                config.add("mode", ANY).add("allowedFunctionNames", Json.PROVIDER.createArrayBuilder().add(choice.name()));
            }
        }
        return new Tools(tools, Json.PROVIDER.createObjectBuilder().add("functionCallingConfig", config).build());
    }

    private static JsonObject declaration(Tool tool, String schemaField, TranslationBudget budget) {
        String name = tool.name();
        if (!NAME.matcher(name).matches()) {
            throw invalid(tool.path() + ".name", tool.path() + ".name '" + name + "' is not a valid Gemini function"
                    + " name: it must start with a letter or underscore and hold at most 128 of a-z, A-Z, 0-9, _ . : -.");
        }
        JsonObjectBuilder declaration = Json.PROVIDER.createObjectBuilder().add("name", name);
        if (tool.description() != null) {
            declaration.add("description", tool.description());
        }
        if (tool.schema() != null) {
            JsonObject cleaned = SchemaCleaner.clean(tool.schema(), tool.path() + "." + schemaField, budget);
            if (!takesNothing(cleaned)) {
                declaration.add("parameters", cleaned);
            }
        }
        return declaration.build();
    }

    /** An object schema without properties: the function takes no arguments. */
    private static boolean takesNothing(JsonObject schema) {
        boolean noProperties = !(schema.get("properties") instanceof JsonObject properties) || properties.isEmpty();
        boolean objectOrUntyped = schema.get("type") == null
                || schema.get("type") instanceof JsonString type && type.getString().equals("OBJECT");
        return noProperties && objectOrUntyped && schema.get("anyOf") == null;
    }

    private static GatewayException invalid(String param, String message) {
        return ErrorKind.INVALID_REQUEST.exception(param, message);
    }
}
