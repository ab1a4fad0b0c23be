package dev.switchboard.provider.gemini;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.provider.mapping.ConversationEnds;
import dev.switchboard.provider.mapping.ToolArguments;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps OpenAI {@code messages} to Gemini's {@code contents} and {@code systemInstruction}
 * (docs/protocols/openai-to-gemini.md B2). Per call: it remembers the tool calls seen so far, to name the
 * function each tool result answers; use {@link #map}.
 *
 * <ul>
 * <li>{@code system} and {@code developer} messages, wherever they are, become
 *     {@code systemInstruction} parts in order (B2.1: collect all, as LiteLLM does). When nothing
 *     else is left, their text is sent as the user turn instead, since {@code contents} may not
 *     be empty.</li>
 * <li>{@code assistant} → role {@code model}: text parts, then one {@code functionCall} part per
 *     tool call with its {@code args} parsed from the JSON string, and the thought signature and
 *     Gemini call id decoded from the tool-call id ({@link ToolCallIds}) put back.</li>
 * <li>{@code tool} → a {@code functionResponse} part ({@link FunctionParts}) in a {@code user}
 *     turn, named after the function of the tool call with that id (Gemini requires the name and
 *     has no use for OpenAI's id). Consecutive tool messages are
 *     put in the order of the calls they answer (B2.2). Legacy {@code function} messages carry
 *     the name themselves.</li>
 * <li>Consecutive turns of the same Gemini role are merged: Gemini requires alternation (A2.1).</li>
 * <li>A conversation that starts or ends with a {@code model} turn gets a placeholder user turn
 *     there ({@link ConversationEnds}, shared with Anthropic); one with no content at all is a
 *     400.</li>
 * <li>For models that validate thought signatures (Gemini 3, {@link GeminiModels}), a step of the
 *     current turn whose first {@code functionCall} part has no signature gets
 *     {@link #SKIP_SIGNATURE}: calls made by Claude or an OpenAI model, or by a client, carry none,
 *     and Gemini 3 rejects them with a 400 (A2.2).</li>
 * </ul>
 */
final class MessageMapper {
    static final String USER = "user";
    static final String MODEL = "model";
    /**
     * The dummy signature for a function call Gemini did not make. A2.2 lists it as seen in other
     * gateways; Google's thought-signatures guide documents it (FAQ: transferring a trace from a
     * different model, "you can set the following dummy signatures of either
     * context_engineering_is_the_way_to_go or skip_thought_signature_validator").
     */
    static final String SKIP_SIGNATURE = "skip_thought_signature_validator";
    private static final String THOUGHT_SIGNATURE = "thoughtSignature";

    /** The mapped conversation; {@code systemInstruction} is null when there is none. */
    record Conversation(JsonArray contents, JsonObject systemInstruction) {
    }

    /** A tool call from the history: its function name, Gemini's id if any, and its order. */
    private record CallRef(String name, String geminiId, int order) {
    }

    /** A tool result waiting for the rest of its run of tool messages, to be ordered by call. */
    private record Answer(JsonObject part, int order) {
    }

    /** One Gemini turn while it is being built. */
    private record Turn(String role, List<JsonObject> parts) {
    }

    private final boolean signCalls;
    private final Map<String, CallRef> calls = new HashMap<>();
    private final List<JsonObject> systemParts = new ArrayList<>();
    private final List<Turn> turns = new ArrayList<>();
    private int callCount;

    private MessageMapper(boolean signCalls) {
        this.signCalls = signCalls;
    }

    /**
     * @param signCalls whether the model validates thought signatures, so that unsigned function
     *     calls of the current turn get {@link #SKIP_SIGNATURE}
     */
    static Conversation map(JsonArray messages, boolean signCalls) {
        return new MessageMapper(signCalls).run(messages);
    }

    private Conversation run(JsonArray messages) {
        int i = 0;
        while (i < messages.size()) {
            JsonObject message = messages.getJsonObject(i);
            String path = "messages[" + i + "]";
            String role = message.getString("role");
            if (role.equals("tool")) {
                i = toolRun(messages, i);
                continue;
            }
            switch (role) {
                case "system", "developer" -> systemParts.addAll(textOnly(message.get("content"), path));
                case "user" -> add(USER, UserParts.map(message.get("content"), path));
                case "assistant" -> add(MODEL, assistant(message, path));
                case "function" -> add(USER, List.of(legacyFunctionResult(message, path)));
                default -> throw ErrorKind.INVALID_REQUEST.exception(path + ".role",
                        path + ".role '" + role + "' cannot be sent to Gemini.");
            }
            i++;
        }
        JsonObject systemInstruction = null;
        if (!systemParts.isEmpty()) {
            if (turns.isEmpty()) {
                add(USER, systemParts);
            } else {
                systemInstruction = Json.PROVIDER.createObjectBuilder().add("parts", array(systemParts)).build();
            }
        }
        if (turns.isEmpty()) {
            throw ErrorKind.INVALID_REQUEST.exception("messages",
                    "'messages' holds no content Gemini can take (every message is empty).");
        }
        ConversationEnds.repair(turns, turn -> turn.role().equals(USER), () -> new Turn(USER,
                List.of(Json.PROVIDER.createObjectBuilder().add("text", ConversationEnds.PLACEHOLDER_USER_TEXT).build())));
        if (signCalls) {
            signCurrentTurn();
        }
        JsonArrayBuilder contents = Json.PROVIDER.createArrayBuilder();
        for (Turn turn : turns) {
            contents.add(Json.PROVIDER.createObjectBuilder().add("role", turn.role()).add("parts", array(turn.parts())));
        }
        return new Conversation(contents.build(), systemInstruction);
    }

    /**
     * Gives the first {@code functionCall} part of each model step of the current turn
     * {@link #SKIP_SIGNATURE} when it has no signature. The current turn is what Gemini validates:
     * everything after the last user turn holding more than function responses (Google's guide).
     * Later calls of a parallel step carry no signature from Gemini either, so they stay as they
     * are, and a real signature is never replaced.
     */
    private void signCurrentTurn() {
        int start = 0;
        for (int t = turns.size() - 1; t >= 0; t--) {
            Turn turn = turns.get(t);
            if (turn.role().equals(USER)
                    && turn.parts().stream().anyMatch(part -> !part.containsKey("functionResponse"))) {
                start = t + 1;
                break;
            }
        }
        for (Turn turn : turns.subList(start, turns.size())) {
            if (!turn.role().equals(MODEL)) {
                continue;
            }
            List<JsonObject> parts = turn.parts();
            for (int p = 0; p < parts.size(); p++) {
                JsonObject part = parts.get(p);
                if (part.containsKey("functionCall")) {
                    if (!part.containsKey(THOUGHT_SIGNATURE)) {
                        parts.set(p, Json.PROVIDER.createObjectBuilder(part)
                                .add(THOUGHT_SIGNATURE, SKIP_SIGNATURE).build());
                    }
                    break;
                }
            }
        }
    }

    /** Appends parts under a role, merging with the previous turn when the role is the same. */
    private void add(String role, List<JsonObject> parts) {
        if (parts.isEmpty()) {
            return;
        }
        Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        if (last != null && last.role().equals(role)) {
            last.parts().addAll(parts);
        } else {
            turns.add(new Turn(role, new ArrayList<>(parts)));
        }
    }

    private List<JsonObject> assistant(JsonObject message, String path) {
        List<JsonObject> parts = new ArrayList<>();
        JsonValue content = message.get("content");
        if (content instanceof JsonString text) {
            UserParts.addText(parts, text.getString());
        } else if (content instanceof JsonArray array) {
            for (int p = 0; p < array.size(); p++) {
                JsonObject part = array.getJsonObject(p);
                String type = part.getString("type");
                if (type.equals("text") || type.equals("refusal")) {
                    UserParts.addText(parts, part.get(type) instanceof JsonString s ? s.getString() : "");
                } else {
                    String partPath = path + ".content[" + p + "]";
                    throw ErrorKind.INVALID_REQUEST.exception(partPath, partPath + " is a '" + type
                            + "' part; assistant messages may hold only text and refusal parts.");
                }
            }
        }
        if (message.get("tool_calls") instanceof JsonArray toolCalls) {
            for (int c = 0; c < toolCalls.size(); c++) {
                parts.add(toolCall(toolCalls.getJsonObject(c), path + ".tool_calls[" + c + "]"));
            }
        }
        if (message.get("function_call") instanceof JsonObject legacy && legacy.get("name") instanceof JsonString name) {
            parts.add(FunctionParts.functionCall(name.getString(), ToolArguments.parse(legacy.get("arguments"), path + ".function_call.arguments"),
                    null, null));
        }
        return parts;
    }

    private JsonObject toolCall(JsonObject call, String path) {
        JsonValue type = call.get("type");
        if (type instanceof JsonString typeName && !typeName.getString().equals("function")) {
            throw ErrorKind.INVALID_REQUEST.exception(path + ".type", path + " is a '" + typeName.getString()
                    + "' tool call; Gemini has only function calls.");
        }
        if (!(call.get("function") instanceof JsonObject function)) {
            throw ErrorKind.INVALID_REQUEST.exception(path + ".function", path + ".function is required.");
        }
        String name = function.getString("name");
        JsonObject args = ToolArguments.parse(function.get("arguments"), path + ".function.arguments");
        ToolCallIds.Decoded decoded = new ToolCallIds.Decoded(null, null);
        if (call.get("id") instanceof JsonString id) {
            decoded = ToolCallIds.decode(id.getString());
            calls.put(id.getString(), new CallRef(name, decoded.geminiId(), callCount++));
        }
        return FunctionParts.functionCall(name, args, decoded.geminiId(), decoded.signature());
    }

    /** Maps the run of tool messages starting at {@code start}; returns the index after it. */
    private int toolRun(JsonArray messages, int start) {
        List<Answer> answers = new ArrayList<>();
        int i = start;
        for (; i < messages.size() && messages.getJsonObject(i).getString("role").equals("tool"); i++) {
            answers.add(toolResult(messages.getJsonObject(i), "messages[" + i + "]"));
        }
        answers.sort(Comparator.comparingInt(Answer::order));
        List<JsonObject> parts = new ArrayList<>(answers.size());
        answers.forEach(answer -> parts.add(answer.part()));
        add(USER, parts);
        return i;
    }

    private Answer toolResult(JsonObject message, String path) {
        String id = message.getString("tool_call_id");
        CallRef call = calls.get(id);
        if (call == null) {
            // Older clients also send the function name on the tool message; use it when the call is unknown.
            if (message.get("name") instanceof JsonString name) {
                call = new CallRef(name.getString(), ToolCallIds.decode(id).geminiId(), Integer.MAX_VALUE);
            } else {
                throw ErrorKind.INVALID_REQUEST.exception(path + ".tool_call_id", path + ".tool_call_id '" + id
                        + "' matches no tool call of an earlier assistant message; Gemini needs the function's name.");
            }
        }
        String text = resultText(message.get("content"), path);
        return new Answer(FunctionParts.functionResponse(call.name(), call.geminiId(), text), call.order());
    }

    private static JsonObject legacyFunctionResult(JsonObject message, String path) {
        if (!(message.get("name") instanceof JsonString name)) {
            throw ErrorKind.INVALID_REQUEST.exception(path + ".name", path + ".name is required for a function message.");
        }
        return FunctionParts.functionResponse(name.getString(), null, resultText(message.get("content"), path));
    }

    private static String resultText(JsonValue content, String path) {
        StringBuilder text = new StringBuilder();
        for (JsonObject part : textOnly(content, path)) {
            text.append(part.getString("text"));
        }
        return text.toString();
    }

    /** Content that may only be text (system, developer and tool messages: docs/protocols/openai-chat.md §3.1, §3.4). */
    private static List<JsonObject> textOnly(JsonValue content, String path) {
        List<JsonObject> parts = new ArrayList<>();
        if (content instanceof JsonString text) {
            UserParts.addText(parts, text.getString());
        } else if (content instanceof JsonArray array) {
            for (int p = 0; p < array.size(); p++) {
                JsonObject part = array.getJsonObject(p);
                if (!part.getString("type").equals("text")) {
                    String partPath = path + ".content[" + p + "]";
                    throw ErrorKind.INVALID_REQUEST.exception(partPath, partPath + " is a '" + part.getString("type")
                            + "' part; this message may hold only text parts.");
                }
                UserParts.addText(parts, part.getString("text"));
            }
        }
        return parts;
    }

    private static JsonArray array(List<JsonObject> parts) {
        JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        parts.forEach(array::add);
        return array.build();
    }
}
