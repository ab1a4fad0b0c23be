package dev.switchboard.provider.mapping;

import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code chat.completion.chunk}s as internal-model events (docs/protocols/openai-chat.md §6.3):
 * the first chunk starts the reply; per choice, content, reasoning ({@code reasoning_content},
 * or {@code reasoning} as some servers name it) and each tool call ({@code tool_calls[].index})
 * are blocks, numbered in the order they start, and a new block closes the one before; a
 * {@code finish_reason} closes the open block and finishes the choice. The usage chunk carries no
 * event: the usage comes with the stream's end. Per stream.
 */
public final class ChatChunkDecoder {
    /** Where one choice stands. */
    private static final class ChoiceState {
        int nextBlock;
        int open = -1;
        LlmEvent.BlockType openType;
        /** Block index per tool-call index. */
        final Map<Integer, Integer> calls = new HashMap<>();
    }

    private final Map<Integer, ChoiceState> choices = new HashMap<>();
    private boolean started;

    /** One chunk's JSON in, its events out. */
    public void onChunk(byte[] json, Consumer<LlmEvent> out) {
        JsonObject chunk = Json.parseObject(json);
        if (!started) {
            started = true;
            String id = JsonFields.string(chunk, "id");
            String model = JsonFields.string(chunk, "model");
            out.accept(new LlmEvent.Start(id == null ? "" : id, model == null ? "" : model));
        }
        JsonArray array = JsonFields.array(chunk, "choices");
        for (int i = 0; array != null && i < array.size(); i++) {
            if (array.get(i) instanceof JsonObject choice) {
                choice(choice, i, out);
            }
        }
    }

    private void choice(JsonObject choice, int position, Consumer<LlmEvent> out) {
        int index = (int) JsonFields.longValue(choice, "index", position);
        ChoiceState state = choices.computeIfAbsent(index, i -> new ChoiceState());
        JsonObject delta = JsonFields.object(choice, "delta");
        if (delta != null) {
            String reasoning = JsonFields.string(delta, "reasoning_content");
            if (reasoning == null) {
                reasoning = JsonFields.string(delta, "reasoning");
            }
            if (reasoning != null && !reasoning.isEmpty()) {
                int block = openBlock(state, index, LlmEvent.BlockType.REASONING, out);
                out.accept(new LlmEvent.ReasoningDelta(index, block, reasoning));
            }
            String content = JsonFields.string(delta, "content");
            if (content != null && !content.isEmpty()) {
                int block = openBlock(state, index, LlmEvent.BlockType.TEXT, out);
                out.accept(new LlmEvent.TextDelta(index, block, content));
            }
            JsonArray calls = JsonFields.array(delta, "tool_calls");
            for (int c = 0; calls != null && c < calls.size(); c++) {
                if (calls.get(c) instanceof JsonObject call) {
                    toolCall(state, index, call, c, out);
                }
            }
        }
        String finish = JsonFields.string(choice, "finish_reason");
        if (finish != null) {
            close(state, index, out);
            out.accept(new LlmEvent.Finish(index, reason(finish)));
        }
    }

    private void toolCall(ChoiceState state, int choice, JsonObject call, int position, Consumer<LlmEvent> out) {
        int callIndex = (int) JsonFields.longValue(call, "index", position);
        JsonObject function = JsonFields.object(call, "function");
        String arguments = JsonFields.string(function, "arguments");
        Integer block = state.calls.get(callIndex);
        if (block == null) {
            close(state, choice, out);
            block = state.nextBlock++;
            state.calls.put(callIndex, block);
            state.open = block;
            state.openType = LlmEvent.BlockType.TOOL_CALL;
            String id = JsonFields.string(call, "id");
            String name = JsonFields.string(function, "name");
            out.accept(new LlmEvent.BlockStart(choice, block, LlmEvent.BlockType.TOOL_CALL, id == null ? "" : id,
                    name == null ? "" : name, arguments == null ? "" : arguments));
        } else if (arguments != null && !arguments.isEmpty()) {
            out.accept(new LlmEvent.ArgumentsDelta(choice, block, arguments));
        }
    }

    /** The open block of {@code type}, started now (closing another) if it is not the open one. */
    private static int openBlock(ChoiceState state, int choice, LlmEvent.BlockType type, Consumer<LlmEvent> out) {
        if (state.open >= 0 && state.openType == type) {
            return state.open;
        }
        close(state, choice, out);
        state.open = state.nextBlock++;
        state.openType = type;
        out.accept(new LlmEvent.BlockStart(choice, state.open, type, null, null, ""));
        return state.open;
    }

    private static void close(ChoiceState state, int choice, Consumer<LlmEvent> out) {
        if (state.open >= 0) {
            out.accept(new LlmEvent.BlockStop(choice, state.open));
            state.open = -1;
            state.openType = null;
        }
    }

    /** OpenAI's finish reason in the internal model; {@code function_call} is the legacy {@code tool_calls}. */
    static FinishReason reason(String finish) {
        return switch (finish) {
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    /** Closes what a stream that ended without finish reasons left open. */
    public void end(Consumer<LlmEvent> out) {
        for (Map.Entry<Integer, ChoiceState> entry : choices.entrySet()) {
            close(entry.getValue(), entry.getKey(), out);
        }
    }

}
