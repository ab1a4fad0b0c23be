package dev.switchboard.provider.anthropic;

import dev.switchboard.chat.ChatJson;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Translates Anthropic's named SSE events into OpenAI {@code chat.completion.chunk}s as each
 * event arrives, never holding text back (docs/protocols/openai-to-anthropic.md §7; docs/protocols/anthropic-messages.md §6).
 * Per stream; driven by one thread at a time.
 *
 * <ul>
 * <li>{@code message_start}: the first chunk, {@code role:"assistant"}; fixes id, created, model.
 * <li>{@code text_delta} → {@code content}; {@code thinking_delta} → {@code reasoning_content}.
 * <li>a {@code tool_use} block start → a tool-call chunk with id, name and empty arguments, under
 *     the gateway's own index: 0, 1, 2 … over tool calls only. Anthropic's {@code index} counts
 *     every block (thinking, text, tool_use), so it is never reused (§7.1 "Index bookkeeping").
 * <li>{@code input_json_delta} → an arguments fragment for that block's tool call; a call that
 *     streamed no arguments gets "{}" at its block stop, as LiteLLM does.
 * <li>in JSON mode, the {@link JsonMode#TOOL_NAME} block's fragments are {@code content} instead.
 * <li>{@code message_delta} → the chunk with {@code finish_reason} (null on every earlier chunk).
 * <li>{@code message_stop} ends the reply; {@link #finish} then adds the usage-only chunk when the
 *     client set {@code stream_options.include_usage}.
 * <li>{@code ping}, signature and citation deltas, server-tool blocks and unknown events are
 *     swallowed; an {@code error} event throws the mapped error.
 * </ul>
 */
final class AnthropicStreamTranslator implements StreamTranslator {
    /** What one Anthropic content block turned into. */
    private enum Kind { TEXT, THINKING, TOOL, JSON_ANSWER, IGNORED }

    /** Per-block state, keyed by Anthropic's block index. */
    private static final class Block {
        final Kind kind;
        final int toolIndex;
        boolean argumentsSent;

        Block(Kind kind, int toolIndex) {
            this.kind = kind;
            this.toolIndex = toolIndex;
        }
    }

    private static final String EMPTY_ARGUMENTS = "{}";
    private static final int CHOICE = 0;

    private final String providerId;
    private final String fallbackModel;
    private final long created;
    private final boolean includeUsage;
    private final boolean jsonMode;
    private final Map<Integer, Block> blocks = new HashMap<>();
    private final UsageTally usage = new UsageTally();

    private ChatJson json;
    private int toolCalls;
    private boolean finished;
    private boolean complete;

    /**
     * @param fallbackModel the model id to report if {@code message_start} names none
     * @param created the {@code created} timestamp of every chunk, in Unix seconds
     */
    AnthropicStreamTranslator(String providerId, String fallbackModel, long created, boolean includeUsage,
                              boolean jsonMode) {
        this.providerId = providerId;
        this.fallbackModel = fallbackModel;
        this.created = created;
        this.includeUsage = includeUsage;
        this.jsonMode = jsonMode;
    }

    /**
     * Dispatches on the SSE event name before reading the data, so that {@code ping} and event
     * types added later (whose data need not even be JSON) are skipped unread and cannot fail the
     * stream: clients must ignore unknown event names (docs/protocols/anthropic-messages.md §6.1). Only an event
     * without a name, which Anthropic never sends but a proxy might, is parsed first to learn its
     * type from the data.
     */
    @Override
    public void onEvent(SseEvent event, Consumer<SseEvent> out) {
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
            case "message_start" -> start(JsonFields.object(data(event, parsed), "message"), out);
            case "content_block_start" -> blockStart(data(event, parsed), out);
            case "content_block_delta" -> blockDelta(data(event, parsed), out);
            case "content_block_stop" -> blockStop(data(event, parsed), out);
            case "message_delta" -> messageDelta(data(event, parsed), out);
            case "message_stop" -> {
                started();
                emitFinish(null, out);
                complete = true;
            }
            case "error" -> throw new GatewayException(AnthropicErrors.fromStreamEvent(providerId, data(event, parsed)));
            default -> {
                // ping, and event types added later: ignored, as Anthropic's versioning asks.
            }
        }
    }

    /** The event's data as an object, parsed once. */
    private static JsonObject data(SseEvent event, JsonObject parsed) {
        return parsed != null ? parsed : Json.parseObject(event.data());
    }

    private void start(JsonObject message, Consumer<SseEvent> out) {
        if (json != null) {
            return;
        }
        if (message == null || JsonFields.string(message, "id") == null) {
            throw new IllegalStateException("message_start without a message id");
        }
        String model = JsonFields.string(message, "model");
        json = new ChatJson(message.getString("id"), created, model == null ? fallbackModel : model, includeUsage);
        usage.update(JsonFields.object(message, "usage"));
        out.accept(SseEvent.of(json.roleChunk(CHOICE)));
    }

    private void blockStart(JsonObject data, Consumer<SseEvent> out) {
        started();
        JsonObject block = JsonFields.object(data, "content_block");
        String type = JsonFields.string(block, "type");
        Kind kind;
        int toolIndex = -1;
        if ("text".equals(type)) {
            kind = Kind.TEXT;
            emitContent(JsonFields.string(block, "text"), out);
        } else if ("thinking".equals(type)) {
            kind = Kind.THINKING;
            emitReasoning(JsonFields.string(block, "thinking"), out);
        } else if ("tool_use".equals(type) && jsonMode && JsonMode.TOOL_NAME.equals(JsonFields.string(block, "name"))) {
            kind = Kind.JSON_ANSWER;
        } else if ("tool_use".equals(type)) {
            kind = Kind.TOOL;
            toolIndex = toolCalls++;
            out.accept(SseEvent.of(json.toolCallStartChunk(CHOICE, toolIndex, block.getString("id"), block.getString("name"), "")));
        } else {
            kind = Kind.IGNORED;
        }
        blocks.put(index(data), new Block(kind, toolIndex));
    }

    private void blockDelta(JsonObject data, Consumer<SseEvent> out) {
        started();
        Block block = blocks.get(index(data));
        JsonObject delta = JsonFields.object(data, "delta");
        if (block == null || delta == null) {
            return;
        }
        String deltaType = JsonFields.string(delta, "type");
        if ("text_delta".equals(deltaType) && block.kind == Kind.TEXT) {
            emitContent(JsonFields.string(delta, "text"), out);
        } else if ("thinking_delta".equals(deltaType) && block.kind == Kind.THINKING) {
            emitReasoning(JsonFields.string(delta, "thinking"), out);
        } else if ("input_json_delta".equals(deltaType)) {
            String fragment = JsonFields.string(delta, "partial_json");
            // The first fragment is often "": nothing to send.
            if (fragment == null || fragment.isEmpty()) {
                return;
            }
            if (block.kind == Kind.TOOL) {
                out.accept(SseEvent.of(json.toolCallArgumentsChunk(CHOICE, block.toolIndex, fragment)));
                block.argumentsSent = true;
            } else if (block.kind == Kind.JSON_ANSWER) {
                out.accept(SseEvent.of(json.contentChunk(CHOICE, fragment)));
                block.argumentsSent = true;
            }
        }
        // signature_delta, citations_delta and deltas of ignored blocks carry nothing for OpenAI clients.
    }

    private void blockStop(JsonObject data, Consumer<SseEvent> out) {
        started();
        Block block = blocks.get(index(data));
        if (block == null || block.argumentsSent) {
            return;
        }
        // A call without arguments may stream no fragment at all; the client still needs valid JSON.
        if (block.kind == Kind.TOOL) {
            out.accept(SseEvent.of(json.toolCallArgumentsChunk(CHOICE, block.toolIndex, EMPTY_ARGUMENTS)));
        } else if (block.kind == Kind.JSON_ANSWER) {
            out.accept(SseEvent.of(json.contentChunk(CHOICE, EMPTY_ARGUMENTS)));
        }
    }

    private void messageDelta(JsonObject data, Consumer<SseEvent> out) {
        started();
        usage.update(JsonFields.object(data, "usage"));
        String stopReason = JsonFields.string(JsonFields.object(data, "delta"), "stop_reason");
        if (stopReason != null) {
            emitFinish(stopReason, out);
        }
    }

    /** The one chunk with a finish_reason; a stream that ends without a stop reason finishes with "stop". */
    private void emitFinish(String stopReason, Consumer<SseEvent> out) {
        if (!finished) {
            finished = true;
            out.accept(SseEvent.of(json.finishChunk(CHOICE, FinishReasons.map(stopReason, toolCalls))));
        }
    }

    private void emitContent(String text, Consumer<SseEvent> out) {
        if (text != null && !text.isEmpty()) {
            out.accept(SseEvent.of(json.contentChunk(CHOICE, text)));
        }
    }

    private void emitReasoning(String text, Consumer<SseEvent> out) {
        if (text != null && !text.isEmpty()) {
            out.accept(SseEvent.of(json.reasoningChunk(CHOICE, text)));
        }
    }

    private void started() {
        if (json == null) {
            throw new IllegalStateException("content before message_start");
        }
    }

    private static int index(JsonObject data) {
        return JsonFields.number(data, "index") == null ? -1 : JsonFields.number(data, "index").intValue();
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
    public Usage finish(Consumer<SseEvent> out) {
        Usage total = usage.toUsage();
        if (includeUsage && json != null) {
            out.accept(SseEvent.of(json.usageChunk(total == null ? Usage.NONE : total)));
        }
        return total;
    }
}
