package dev.switchboard.provider.anthropic;

import dev.switchboard.json.Json;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.Message;
import dev.switchboard.provider.mapping.ConversationEnds;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The internal model's messages as Anthropic's strictly alternating turns
 * (docs/protocols/anthropic-messages.md §3.1), these rules:
 * adjacent turns of one role merge, {@code tool_result} blocks lead their user turn, turns left
 * empty are dropped, and the conversation starts and ends with a user turn ({@link ConversationEnds}).
 * Built once per request; immutable afterwards.
 */
final class LlmTurns {
    /** One turn while it is built. */
    private static final class Turn {
        final boolean user;
        final List<JsonObject> results = new ArrayList<>();
        final List<JsonObject> blocks = new ArrayList<>();

        Turn(boolean user) {
            this.user = user;
        }

        boolean usesTools() {
            return blocks.stream().anyMatch(b -> "tool_use".equals(b.getString("type")));
        }

        boolean startsWithThinking() {
            String type = blocks.isEmpty() ? null : blocks.get(0).getString("type");
            return "thinking".equals(type) || "redacted_thinking".equals(type);
        }
    }

    private final List<Turn> turns = new ArrayList<>();

    private LlmTurns() {
    }

    /** @throws dev.switchboard.error.GatewayException (400) naming a block Claude cannot take */
    static LlmTurns of(List<Message> messages) {
        LlmTurns conversation = new LlmTurns();
        for (Message message : messages) {
            boolean user = message.role() == Message.Role.USER;
            Turn turn = conversation.turn(user);
            for (Content block : message.content()) {
                JsonObject mapped = LlmBlocks.map(block, !user);
                if (mapped != null) {
                    (block instanceof Content.ToolResult ? turn.results : turn.blocks).add(mapped);
                }
            }
        }
        conversation.repairEnds();
        return conversation;
    }

    private Turn turn(boolean user) {
        Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        if (last != null && last.user == user) {
            return last;
        }
        Turn turn = new Turn(user);
        turns.add(turn);
        return turn;
    }

    private void repairEnds() {
        List<Turn> kept = new ArrayList<>(turns);
        turns.clear();
        for (Turn turn : kept) {
            if (turn.results.isEmpty() && turn.blocks.isEmpty()) {
                continue;
            }
            Turn target = turn(turn.user);
            if (target != turn) {
                target.results.addAll(turn.results);
                target.blocks.addAll(turn.blocks);
            }
        }
        ConversationEnds.repair(turns, turn -> turn.user, () -> {
            Turn turn = new Turn(true);
            turn.blocks.add(ContentParts.text(ConversationEnds.PLACEHOLDER_USER_TEXT, null));
            return turn;
        });
    }

    JsonArray messages() {
        JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        for (Turn turn : turns) {
            JsonArrayBuilder content = Json.PROVIDER.createArrayBuilder();
            turn.results.forEach(content::add);
            turn.blocks.forEach(content::add);
            array.add(Json.PROVIDER.createObjectBuilder().add("role", turn.user ? "user" : "assistant").add("content", content));
        }
        return array.build();
    }

    /**
     * Whether thinking may be on: with thinking, Anthropic requires an assistant turn that called
     * tools, when it is the last assistant turn (the tool loop in progress), to start with its
     * signed thinking block (docs/protocols/openai-to-anthropic.md §6.1). A client that kept the
     * signature (Responses' {@code encrypted_content}) may think on; one that could not must not.
     */
    boolean thinkingAllowed() {
        for (int i = turns.size() - 1; i >= 0; i--) {
            Turn turn = turns.get(i);
            if (!turn.user) {
                return !turn.usesTools() || turn.startsWithThinking();
            }
        }
        return true;
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
