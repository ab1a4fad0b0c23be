package dev.switchboard.provider.gemini;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Message;
import dev.switchboard.provider.mapping.ConversationEnds;
import dev.switchboard.provider.mapping.ToolArguments;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the conversation of a request in the internal model (its system blocks and turns) to
 * Gemini's {@code contents} and {@code systemInstruction} (docs/protocols/openai-to-gemini.md B2),
 * whichever door it came in by. Per call: it remembers the tool calls seen so far, to name the
 * function each tool result answers; use {@link #map}.
 *
 * <ul>
 * <li>System blocks (Chat's {@code system} and {@code developer} messages wherever they are,
 *     Messages' {@code system}, Responses' {@code instructions}) become {@code systemInstruction}
 *     parts in order (B2.1: collect all, as LiteLLM does). When nothing else is left, their text
 *     is sent as the user turn instead, since {@code contents} may not be empty.</li>
 * <li>An assistant turn → role {@code model}: text parts and one {@code functionCall} part per
 *     tool call, in order, with {@code args} parsed from the arguments' JSON, and the thought
 *     signature and Gemini call id decoded from the tool-call id ({@link ToolCallIds}) put back.
 *     Reasoning from earlier turns is dropped: Gemini's rides in the call ids, and another
 *     provider's means nothing to it.</li>
 * <li>A tool result → a {@code functionResponse} part ({@link FunctionParts}) in a {@code user}
 *     turn, named after the function of the tool call with that id (Gemini requires the name),
 *     else after the name the result carries (Chat's tool and legacy function messages). Its
 *     text is the response; its images and documents follow it as parts of their own. A run of
 *     results is put in the order of the calls they answer (B2.2).</li>
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

    /** A tool result's parts waiting for the rest of its run, to be ordered by call. */
    private record Answer(List<JsonObject> parts, int order) {
    }

    /** One Gemini turn while it is being built. */
    private record Turn(String role, List<JsonObject> parts) {
    }

    private final boolean signCalls;
    private final String callIdField;
    private final Map<String, CallRef> calls = new HashMap<>();
    private final List<JsonObject> systemParts = new ArrayList<>();
    private final List<Turn> turns = new ArrayList<>();
    private int callCount;

    private MessageMapper(boolean signCalls, String callIdField) {
        this.signCalls = signCalls;
        this.callIdField = callIdField;
    }

    /**
     * @param signCalls whether the model validates thought signatures, so that unsigned function
     *     calls of the current turn get {@link #SKIP_SIGNATURE}
     * @param callIdField the door's name of a tool result's call id ({@code tool_call_id} …), for
     *     the 400 of a result that answers no call and carries no name
     */
    static Conversation map(LlmRequest request, boolean signCalls, String callIdField) {
        return new MessageMapper(signCalls, callIdField).run(request);
    }

    private Conversation run(LlmRequest request) {
        for (Content.Text text : request.system()) {
            UserParts.addText(systemParts, text.text());
        }
        for (Message message : request.messages()) {
            if (message.role() == Message.Role.ASSISTANT) {
                add(MODEL, assistant(message));
            } else {
                add(USER, user(message));
            }
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
     * everything after the last user turn holding more than function responses (Google's guide);
     * only text counts as more here, since the images a tool result brought follow its response
     * in the same turn, and a dummy on a call of an earlier turn costs nothing where a missing one
     * is a 400.
     * Later calls of a parallel step carry no signature from Gemini either, so they stay as they
     * are, and a real signature is never replaced.
     */
    private void signCurrentTurn() {
        int start = 0;
        for (int t = turns.size() - 1; t >= 0; t--) {
            Turn turn = turns.get(t);
            if (turn.role().equals(USER)
                    && turn.parts().stream().anyMatch(part -> part.containsKey("text"))) {
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

    private List<JsonObject> assistant(Message message) {
        List<JsonObject> parts = new ArrayList<>();
        for (Content block : message.content()) {
            if (block instanceof Content.Text text) {
                UserParts.addText(parts, text.text());
            } else if (block instanceof Content.FunctionCall call) {
                parts.add(toolCall(call));
            } else if (!(block instanceof Content.Reasoning)) {
                String kind = block instanceof Content.Opaque opaque ? "a '" + opaque.type() + "' part" : "not text";
                throw ErrorKind.INVALID_REQUEST.exception(block.path(), block.path() + " is " + kind
                        + "; an assistant turn may hold only text and tool calls.");
            }
        }
        return parts;
    }

    private JsonObject toolCall(Content.FunctionCall call) {
        JsonObject args = ToolArguments.parse(Json.PROVIDER.createValue(call.arguments()), call.path() + ".arguments");
        ToolCallIds.Decoded decoded = ToolCallIds.decode(call.id());
        if (call.id() != null) {
            calls.put(call.id(), new CallRef(call.name(), decoded.geminiId(), callCount++));
        }
        return FunctionParts.functionCall(call.name(), args, decoded.geminiId(), decoded.signature());
    }

    /** A user turn's parts; each run of tool results in the order of the calls it answers. */
    private List<JsonObject> user(Message message) {
        List<JsonObject> parts = new ArrayList<>();
        List<Answer> run = new ArrayList<>();
        for (Content block : message.content()) {
            if (block instanceof Content.ToolResult result) {
                run.add(toolResult(result));
                continue;
            }
            flush(run, parts);
            UserParts.add(parts, block);
        }
        flush(run, parts);
        return parts;
    }

    private static void flush(List<Answer> run, List<JsonObject> parts) {
        run.sort(Comparator.comparingInt(Answer::order));
        run.forEach(answer -> parts.addAll(answer.parts()));
        run.clear();
    }

    private Answer toolResult(Content.ToolResult result) {
        CallRef call = result.callId() == null ? null : calls.get(result.callId());
        if (call == null) {
            if (result.name() == null) {
                String param = result.path() + "." + callIdField;
                throw ErrorKind.INVALID_REQUEST.exception(param, param + " '" + result.callId()
                        + "' matches no tool call of an earlier assistant message; Gemini needs the function's name.");
            }
            // A result for a call this conversation does not hold, named by the client.
            call = new CallRef(result.name(), ToolCallIds.decode(result.callId()).geminiId(), Integer.MAX_VALUE);
        }
        List<JsonObject> parts = new ArrayList<>();
        parts.add(FunctionParts.functionResponse(call.name(), call.geminiId(), result.text(), result.error()));
        for (Content block : result.content()) {
            if (!(block instanceof Content.Text)) {
                UserParts.add(parts, block);
            }
        }
        return new Answer(parts, call.order());
    }

    private static JsonArray array(List<JsonObject> parts) {
        JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        parts.forEach(array::add);
        return array.build();
    }
}
