package dev.switchboard.provider.anthropic;

import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.json.JsonScanner;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmEvent;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.EventDecoder;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Anthropic's named stream events as internal-model events (docs/protocols/anthropic-messages.md
 * §6), as each arrives. Per stream; driven by one thread at a time.
 *
 * <ul>
 * <li>{@code message_start} starts the reply (its id and model) and brings the first usage.
 * <li>{@code text}, {@code thinking} and {@code tool_use} blocks become blocks, numbered in the
 *     order they start over those kinds only; server-tool blocks and unknown kinds are skipped,
 *     since a client would try to run a tool call it did not declare.
 * <li>{@code signature_delta} becomes a signature of origin {@link LlmBlocks#ORIGIN}; a
 *     {@code redacted_thinking} block a reasoning block with the signature
 *     {@link Content.Reasoning#redacted}, so that both can come back in a later turn.
 * <li>in JSON mode the {@link JsonMode#TOOL_NAME} call is the answer: a text block of its input
 *     ({@code {}} when none streamed).
 * <li>{@code message_delta}'s stop reason finishes the reply ({@code tool_use} with no client
 *     tool call, JSON mode's, finishes as stop); {@code message_stop} ends it, finishing it first
 *     if no stop reason came; {@code error} throws the mapped error; {@code ping} and unknown
 *     events are ignored, as Anthropic's versioning asks (§6.1).
 * </ul>
 */
final class MessageStreamDecoder implements EventDecoder {
    private static final int CHOICE = 0;
    private static final String EMPTY_ARGUMENTS = "{}";

    /** One Anthropic block: what it became and under which index. */
    private static final class Block {
        final LlmEvent.BlockType type;
        final int index;
        final boolean jsonAnswer;
        boolean argumentsSent;

        Block(LlmEvent.BlockType type, int index, boolean jsonAnswer) {
            this.type = type;
            this.index = index;
            this.jsonAnswer = jsonAnswer;
        }
    }

    private final String providerId;
    private final String fallbackModel;
    private final boolean jsonMode;
    private final Map<Integer, Block> blocks = new HashMap<>();
    private final UsageTally usage = new UsageTally();
    private boolean started;
    private int nextIndex;
    private int toolCalls;
    private boolean finished;
    private boolean complete;

    /** @param fallbackModel the model to report if {@code message_start} names none */
    MessageStreamDecoder(String providerId, String fallbackModel, boolean jsonMode) {
        this.providerId = providerId;
        this.fallbackModel = fallbackModel;
        this.jsonMode = jsonMode;
    }

    /**
     * Dispatches on the event name before reading the data, so that {@code ping} and later event
     * types are skipped unread; an unnamed event is parsed to learn its type. Named events are
     * scanned for their few fields rather than parsed ({@link StreamEvents}), and parsed whole
     * when the scan gives up; {@code error} events are always parsed.
     */
    @Override
    public void onEvent(SseEvent event, Consumer<LlmEvent> out) {
        if (complete) {
            return;
        }
        String type = event.type();
        JsonObject parsed = null;
        if (type == null) {
            parsed = Json.parseObject(event.data());
            type = JsonFields.string(parsed, "type");
            if (type == null) {
                return;
            }
        }
        switch (type) {
            case "message_start" -> {
                StreamEvents.MessageStart start = scan(event, parsed, StreamEvents::scanMessageStart);
                if (start != null) {
                    start(start, out);
                } else {
                    start(JsonFields.object(data(event, parsed), "message"), out);
                }
            }
            case "content_block_start" -> {
                StreamEvents.BlockStart block = scan(event, parsed, StreamEvents::scanBlockStart);
                blockStart(block != null ? block : StreamEvents.blockStart(data(event, parsed)), out);
            }
            case "content_block_delta" -> {
                StreamEvents.BlockDelta delta = scan(event, parsed, StreamEvents::scanBlockDelta);
                blockDelta(delta != null ? delta : StreamEvents.blockDelta(data(event, parsed)), out);
            }
            case "content_block_stop" -> {
                Integer index = scan(event, parsed, StreamEvents::scanBlockStop);
                blockStop(index != null ? index : StreamEvents.blockStop(data(event, parsed)), out);
            }
            case "message_delta" -> {
                StreamEvents.MessageDelta delta = scan(event, parsed, StreamEvents::scanMessageDelta);
                if (delta != null) {
                    messageDelta(delta.usage(), delta.stopReason(), out);
                } else {
                    JsonObject data = data(event, parsed);
                    messageDelta(JsonFields.object(data, "usage"), StreamEvents.stopReason(data), out);
                }
            }
            case "message_stop" -> {
                requireStarted();
                finish(null, out);
                complete = true;
            }
            case "error" -> throw new GatewayException(AnthropicErrors.fromStreamEvent(providerId, data(event, parsed)));
            default -> {
                // ping, and event types added later.
            }
        }
    }

    private static JsonObject data(SseEvent event, JsonObject parsed) {
        return parsed != null ? parsed : Json.parseObject(event.data());
    }

    /** The event's fields scanned from its bytes, or null when it was parsed already or the scan gave up. */
    private static <T> T scan(SseEvent event, JsonObject parsed, Function<JsonScanner, T> fields) {
        if (parsed != null) {
            return null;
        }
        try {
            return fields.apply(new JsonScanner(event.data()));
        } catch (JsonScanner.NotScanned e) {
            return null;
        }
    }

    private void start(JsonObject message, Consumer<LlmEvent> out) {
        String id = JsonFields.string(message, "id");
        if (startOnce(id)) {
            usage.update(JsonFields.object(message, "usage"));
            out.accept(new LlmEvent.Start(id, modelOrFallback(JsonFields.string(message, "model"))));
        }
    }

    private void start(StreamEvents.MessageStart message, Consumer<LlmEvent> out) {
        if (startOnce(message.id())) {
            usage.update(message.usage());
            out.accept(new LlmEvent.Start(message.id(), modelOrFallback(message.model())));
        }
    }

    /** Whether this {@code message_start} is the first, which starts the reply. */
    private boolean startOnce(String id) {
        if (started) {
            return false;
        }
        if (id == null) {
            throw new IllegalStateException("message_start without a message id");
        }
        started = true;
        return true;
    }

    private String modelOrFallback(String model) {
        return model == null ? fallbackModel : model;
    }

    private void blockStart(StreamEvents.BlockStart block, Consumer<LlmEvent> out) {
        requireStarted();
        String type = block.type();
        if (type == null) {
            return;
        }
        int anthropicIndex = block.index();
        switch (type) {
            case "text" -> {
                Block b = open(anthropicIndex, LlmEvent.BlockType.TEXT, false, null, null, out);
                text(b, block.text(), out);
            }
            case "thinking" -> {
                Block b = open(anthropicIndex, LlmEvent.BlockType.REASONING, false, null, null, out);
                String thinking = block.thinking();
                if (thinking != null && !thinking.isEmpty()) {
                    out.accept(new LlmEvent.ReasoningDelta(CHOICE, b.index, thinking));
                }
                signature(b, block.signature(), out);
            }
            case "redacted_thinking" -> {
                Block b = open(anthropicIndex, LlmEvent.BlockType.REASONING, false, null, null, out);
                String redacted = block.data();
                if (redacted != null) {
                    out.accept(new LlmEvent.SignatureDelta(CHOICE, b.index, Content.Reasoning.REDACTED + redacted,
                            LlmBlocks.ORIGIN));
                }
            }
            case "tool_use" -> {
                String name = block.name();
                if (jsonMode && JsonMode.TOOL_NAME.equals(name)) {
                    open(anthropicIndex, LlmEvent.BlockType.TEXT, true, null, null, out);
                } else {
                    toolCalls++;
                    open(anthropicIndex, LlmEvent.BlockType.TOOL_CALL, false, block.id(), name == null ? "" : name, out);
                }
            }
            default -> {
                // server_tool_use, web_search_tool_result and block types added later.
            }
        }
    }

    private Block open(int anthropicIndex, LlmEvent.BlockType type, boolean jsonAnswer, String callId, String name,
                       Consumer<LlmEvent> out) {
        Block block = new Block(type, nextIndex++, jsonAnswer);
        blocks.put(anthropicIndex, block);
        out.accept(new LlmEvent.BlockStart(CHOICE, block.index, type, callId, name, ""));
        return block;
    }

    private void blockDelta(StreamEvents.BlockDelta delta, Consumer<LlmEvent> out) {
        requireStarted();
        Block block = blocks.get(delta.index());
        if (block == null || !delta.hasDelta()) {
            return;
        }
        switch (String.valueOf(delta.type())) {
            case "text_delta" -> text(block, delta.text(), out);
            case "thinking_delta" -> {
                String thinking = delta.thinking();
                if (block.type == LlmEvent.BlockType.REASONING && thinking != null && !thinking.isEmpty()) {
                    out.accept(new LlmEvent.ReasoningDelta(CHOICE, block.index, thinking));
                }
            }
            case "signature_delta" -> signature(block, delta.signature(), out);
            case "input_json_delta" -> {
                String fragment = delta.partialJson();
                if (fragment == null || fragment.isEmpty()) {
                    return;
                }
                block.argumentsSent = true;
                if (block.jsonAnswer) {
                    out.accept(new LlmEvent.TextDelta(CHOICE, block.index, fragment));
                } else if (block.type == LlmEvent.BlockType.TOOL_CALL) {
                    out.accept(new LlmEvent.ArgumentsDelta(CHOICE, block.index, fragment));
                }
            }
            default -> {
                // citations_delta and deltas added later.
            }
        }
    }

    private static void text(Block block, String text, Consumer<LlmEvent> out) {
        if (block.type == LlmEvent.BlockType.TEXT && text != null && !text.isEmpty()) {
            out.accept(new LlmEvent.TextDelta(CHOICE, block.index, text));
        }
    }

    private static void signature(Block block, String signature, Consumer<LlmEvent> out) {
        if (block.type == LlmEvent.BlockType.REASONING && signature != null && !signature.isEmpty()) {
            out.accept(new LlmEvent.SignatureDelta(CHOICE, block.index, signature, LlmBlocks.ORIGIN));
        }
    }

    private void blockStop(int index, Consumer<LlmEvent> out) {
        requireStarted();
        Block block = blocks.remove(index);
        if (block == null) {
            return;
        }
        if (block.jsonAnswer && !block.argumentsSent) {
            out.accept(new LlmEvent.TextDelta(CHOICE, block.index, EMPTY_ARGUMENTS));
        }
        out.accept(new LlmEvent.BlockStop(CHOICE, block.index));
    }

    private void messageDelta(JsonObject usageObject, String stopReason, Consumer<LlmEvent> out) {
        requireStarted();
        usage.update(usageObject);
        messageDelta(stopReason, out);
    }

    private void messageDelta(UsageTally.Counts counts, String stopReason, Consumer<LlmEvent> out) {
        requireStarted();
        usage.update(counts);
        messageDelta(stopReason, out);
    }

    private void messageDelta(String stopReason, Consumer<LlmEvent> out) {
        if (stopReason != null) {
            finish(stopReason, out);
        }
    }

    /** Closes what is open and finishes the reply, once. */
    private void finish(String stopReason, Consumer<LlmEvent> out) {
        if (finished) {
            return;
        }
        finished = true;
        blocks.values().stream().map(b -> b.index).sorted()
                .forEach(index -> out.accept(new LlmEvent.BlockStop(CHOICE, index)));
        blocks.clear();
        out.accept(new LlmEvent.Finish(CHOICE, reason(stopReason, toolCalls)));
    }

    /** Anthropic's stop reason in the internal model ({@link FinishReasons}' table). */
    static FinishReason reason(String stopReason, int clientToolCalls) {
        return switch (FinishReasons.map(stopReason, clientToolCalls)) {
            case "length" -> FinishReason.LENGTH;
            case "tool_calls" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("content before message_start");
        }
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    /** {@code message_stop} is Anthropic's last event (docs/protocols/anthropic-messages.md §6.1–6.2). */
    @Override
    public boolean isFinished() {
        return complete;
    }

    @Override
    public Usage finish(Consumer<LlmEvent> out) {
        if (started && !finished) {
            finish(null, out);
        }
        return usage.toUsage();
    }
}
