package dev.switchboard.provider.anthropic;

import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.provider.mapping.ConversationEnds;
import dev.switchboard.provider.mapping.ToolArguments;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAI {@code messages} array rebuilt as Anthropic's top-level {@code system} plus strictly
 * alternating user/assistant turns (docs/protocols/openai-to-anthropic.md §2; LiteLLM's
 * {@code anthropic_messages_pt}). Built once per request; immutable afterwards.
 *
 * <p>Whatever role order the client sent, the result is valid for Anthropic:
 * <ul>
 * <li>system and developer messages, wherever they stand, become {@code system} blocks in order;
 * <li>consecutive messages of one role share a turn, and tool results count as user content;
 * <li>in a user turn, {@code tool_result} blocks come first, in the client's order, because
 *     Anthropic requires them at the start of the turn after the {@code tool_use}
 *     (docs/protocols/anthropic-messages.md §3.1);
 * <li>messages that carry nothing (blank text) are skipped, so they cannot split a turn;
 * <li>a conversation that is empty, starts with the assistant, or ends with the assistant gets a
 *     placeholder user turn there ({@link ConversationEnds}, shared with Gemini).
 * </ul>
 */
final class Conversation {
    /** Prefix of the ids given to legacy {@code function_call}s, which have none of their own. */
    static final String LEGACY_CALL_ID_PREFIX = "call_legacy_";

    private final List<JsonObject> system = new ArrayList<>();
    private final List<Turn> turns = new ArrayList<>();
    private final Map<String, Deque<String>> legacyCalls = new HashMap<>();

    private Conversation() {
    }

    /** One turn while it is being built. */
    private static final class Turn {
        final String role;
        /** tool_result blocks, kept apart because they must lead the turn. */
        final List<JsonObject> results = new ArrayList<>();
        final List<JsonObject> blocks = new ArrayList<>();

        Turn(String role) {
            this.role = role;
        }

        boolean usesTools() {
            return blocks.stream().anyMatch(b -> "tool_use".equals(b.getString("type")));
        }
    }

    /**
     * @throws dev.switchboard.error.GatewayException (400) naming the message or part Claude cannot take
     */
    static Conversation of(JsonArray messages) {
        Conversation conversation = new Conversation();
        for (int i = 0; i < messages.size(); i++) {
            conversation.add(messages.getJsonObject(i), "messages[" + i + "]", i);
        }
        conversation.repairEnds();
        return conversation;
    }

    private void add(JsonObject message, String path, int index) {
        JsonValue content = message.get("content");
        String contentPath = path + ".content";
        switch (message.getString("role")) {
            case "system", "developer" -> system.addAll(ContentParts.blocks(content, contentPath, ContentParts.Role.SYSTEM));
            case "user" -> turn("user").blocks.addAll(ContentParts.blocks(content, contentPath, ContentParts.Role.USER));
            case "tool" -> turn("user").results.add(toolResult(
                    ToolIds.sanitise(message.getString("tool_call_id")), content, contentPath));
            case "function" -> turn("user").results.add(toolResult(legacyResultId(message, path), content, contentPath));
            case "assistant" -> addAssistant(message, path, index);
            default -> throw new IllegalStateException("role validated by ChatRequestParser");
        }
    }

    private void addAssistant(JsonObject message, String path, int index) {
        List<JsonObject> blocks = new ArrayList<>(
                ContentParts.blocks(message.get("content"), path + ".content", ContentParts.Role.ASSISTANT));
        JsonArray toolCalls = JsonFields.array(message, "tool_calls");
        if (toolCalls != null) {
            for (int c = 0; c < toolCalls.size(); c++) {
                blocks.add(toolUse(toolCalls.getJsonObject(c), path + ".tool_calls[" + c + "]"));
            }
        }
        JsonObject functionCall = JsonFields.object(message, "function_call");
        if (functionCall != null) {
            blocks.add(legacyToolUse(functionCall, path + ".function_call", index));
        }
        turn("assistant").blocks.addAll(blocks);
    }

    private static JsonObject toolUse(JsonObject call, String path) {
        String type = JsonFields.string(call, "type");
        if (type != null && !type.equals("function")) {
            throw ContentParts.unsupported(path + ".type", path + " is a '" + type
                    + "' tool call; Claude only takes function tool calls.");
        }
        String id = JsonFields.string(call, "id");
        if (ContentParts.isBlank(id)) {
            throw ContentParts.invalid(path + ".id", path + ".id is required.");
        }
        JsonObject function = JsonFields.object(call, "function");
        if (function == null) {
            throw ContentParts.invalid(path + ".function", path + ".function is required.");
        }
        return toolUseBlock(ToolIds.sanitise(id), function.getString("name"),
                ToolArguments.parse(function.get("arguments"), path + ".function.arguments"));
    }

    private JsonObject legacyToolUse(JsonObject functionCall, String path, int index) {
        String name = JsonFields.string(functionCall, "name");
        if (name == null) {
            throw ContentParts.invalid(path + ".name", path + ".name is required.");
        }
        String id = LEGACY_CALL_ID_PREFIX + index;
        legacyCalls.computeIfAbsent(name, n -> new ArrayDeque<>()).add(id);
        return toolUseBlock(id, name, ToolArguments.parse(functionCall.get("arguments"), path + ".arguments"));
    }

    /** A legacy {@code role:"function"} result answers the earliest unanswered function_call of that name. */
    private String legacyResultId(JsonObject message, String path) {
        String name = JsonFields.string(message, "name");
        Deque<String> pending = name == null ? null : legacyCalls.get(name);
        if (pending == null || pending.isEmpty()) {
            throw ContentParts.invalid(path + ".name", path + " answers no earlier assistant function_call"
                    + (name == null ? "; it needs a 'name'." : " named '" + name + "'."));
        }
        return pending.poll();
    }

    private static JsonObject toolUseBlock(String id, String name, JsonObject input) {
        return Json.PROVIDER.createObjectBuilder().add("type", "tool_use").add("id", id).add("name", name)
                .add("input", input).build();
    }

    private static JsonObject toolResult(String toolUseId, JsonValue content, String path) {
        JsonObjectBuilder result = Json.PROVIDER.createObjectBuilder().add("type", "tool_result")
                .add("tool_use_id", toolUseId);
        if (content instanceof JsonString string) {
            // An empty result is sent without content: "content" is optional, empty text is not allowed.
            if (!ContentParts.isBlank(string.getString())) {
                result.add("content", string.getString());
            }
        } else {
            List<JsonObject> blocks = ContentParts.blocks(content, path, ContentParts.Role.TOOL);
            if (!blocks.isEmpty()) {
                JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
                blocks.forEach(array::add);
                result.add("content", array);
            }
        }
        return result.build();
    }

    /** The turn to append to: the last one when it has this role, else a new one. */
    private Turn turn(String role) {
        Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        if (last != null && last.role.equals(role)) {
            return last;
        }
        Turn turn = new Turn(role);
        turns.add(turn);
        return turn;
    }

    private void repairEnds() {
        // Messages that carried nothing left empty turns behind; dropping them may make two
        // turns of one role adjacent, which are then merged.
        List<Turn> kept = new ArrayList<>(turns);
        turns.clear();
        for (Turn turn : kept) {
            if (turn.results.isEmpty() && turn.blocks.isEmpty()) {
                continue;
            }
            Turn target = turn(turn.role);
            if (target != turn) {
                target.results.addAll(turn.results);
                target.blocks.addAll(turn.blocks);
            }
        }
        ConversationEnds.repair(turns, turn -> turn.role.equals("user"), Conversation::placeholder);
    }

    private static Turn placeholder() {
        Turn turn = new Turn("user");
        turn.blocks.add(ContentParts.text(ConversationEnds.PLACEHOLDER_USER_TEXT, null));
        return turn;
    }

    /** The top-level {@code system} blocks; empty when the client sent no system text. */
    JsonArray system() {
        JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        system.forEach(array::add);
        return array.build();
    }

    JsonArray messages() {
        JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        for (Turn turn : turns) {
            JsonArrayBuilder content = Json.PROVIDER.createArrayBuilder();
            turn.results.forEach(content::add);
            turn.blocks.forEach(content::add);
            array.add(Json.PROVIDER.createObjectBuilder().add("role", turn.role).add("content", content));
        }
        return array.build();
    }

    /**
     * Whether the last assistant turn calls tools. With thinking on, Anthropic then requires that
     * turn to start with its signed thinking block, which an OpenAI client cannot send back.
     */
    boolean lastAssistantTurnUsesTools() {
        for (int i = turns.size() - 1; i >= 0; i--) {
            if (turns.get(i).role.equals("assistant")) {
                return turns.get(i).usesTools();
            }
        }
        return false;
    }

    /** Whether any turn holds tool_use or tool_result blocks (Anthropic then requires {@code tools}). */
    boolean hasToolBlocks() {
        return turns.stream().anyMatch(t -> !t.results.isEmpty() || t.usesTools());
    }

    /** Names of the tools called in the history, in first-use order. */
    Set<String> toolNamesUsed() {
        Set<String> names = new LinkedHashSet<>();
        for (Turn turn : turns) {
            for (JsonObject block : turn.blocks) {
                if ("tool_use".equals(block.getString("type"))) {
                    names.add(block.getString("name"));
                }
            }
        }
        return names;
    }
}
