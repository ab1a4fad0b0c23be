package dev.switchboard.ingress.messages;

import dev.switchboard.json.Json;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmEvent;
import dev.switchboard.llm.StreamEncoder;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Internal-model events as Anthropic's stream (docs/protocols/anthropic-messages-ingress.md §4.3):
 * {@code message_start} first; each block as {@code content_block_start}, its deltas
 * ({@code text_delta}, {@code thinking_delta}, {@code signature_delta}, {@code input_json_delta})
 * and {@code content_block_stop}, numbered densely from 0 in the order they start; then
 * {@code message_delta} with the stop reason and usage, and {@code message_stop}. A block the
 * provider left open is closed before {@code message_delta}. Only choice 0 is sent: Messages has
 * one. A signature is sent only when it came from Anthropic, since any other provider's means
 * nothing to a client that will send the history back to Claude. Per stream.
 */
final class MessagesStreamEncoder implements StreamEncoder {
    private final Map<Integer, Integer> blocks = new HashMap<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private boolean started;
    private int nextBlock;
    private int open = -1;
    private FinishReason reason;

    @Override
    public void onEvent(LlmEvent event, Consumer<SseEvent> out) {
        if (event instanceof LlmEvent.Start start) {
            started = true;
            out.accept(new SseEvent("message_start", messageStart(start.id(), start.model())));
            return;
        }
        if (!started) {
            return;
        }
        if (event instanceof LlmEvent.BlockStart block && block.choice() == 0) {
            closeOpen(out);
            int index = nextBlock++;
            blocks.put(block.index(), index);
            open = index;
            out.accept(new SseEvent("content_block_start", blockStart(index, block)));
            if (block.type() == LlmEvent.BlockType.TOOL_CALL && !block.arguments().isEmpty()) {
                out.accept(delta(index, "input_json_delta", "partial_json", block.arguments()));
            }
        } else if (event instanceof LlmEvent.TextDelta d && d.choice() == 0) {
            send(d.index(), "text_delta", "text", d.text(), out);
        } else if (event instanceof LlmEvent.ReasoningDelta d && d.choice() == 0) {
            send(d.index(), "thinking_delta", "thinking", d.text(), out);
        } else if (event instanceof LlmEvent.SignatureDelta d && d.choice() == 0 && "anthropic".equals(d.origin())) {
            send(d.index(), "signature_delta", "signature", d.signature(), out);
        } else if (event instanceof LlmEvent.ArgumentsDelta d && d.choice() == 0) {
            send(d.index(), "input_json_delta", "partial_json", d.fragment(), out);
        } else if (event instanceof LlmEvent.BlockStop stop && stop.choice() == 0) {
            Integer index = blocks.get(stop.index());
            if (index != null && index == open) {
                closeOpen(out);
            }
        } else if (event instanceof LlmEvent.Finish finish && finish.choice() == 0) {
            reason = finish.reason();
        }
    }

    private void send(int providerIndex, String type, String field, String value, Consumer<SseEvent> out) {
        Integer index = blocks.get(providerIndex);
        if (index != null && value != null && !value.isEmpty()) {
            out.accept(delta(index, type, field, value));
        }
    }

    private void closeOpen(Consumer<SseEvent> out) {
        if (open >= 0) {
            buffer.reset();
            try (JsonGenerator g = Json.generator(buffer)) {
                g.writeStartObject().write("type", "content_block_stop").write("index", open).writeEnd();
            }
            out.accept(new SseEvent("content_block_stop", buffer.toByteArray()));
            open = -1;
        }
    }

    @Override
    public void finish(Usage usage, Consumer<SseEvent> out) {
        if (!started) {
            return;
        }
        closeOpen(out);
        Usage used = usage == null ? Usage.NONE : usage;
        buffer.reset();
        try (JsonGenerator g = Json.generator(buffer)) {
            g.writeStartObject().write("type", "message_delta");
            g.writeStartObject("delta").write("stop_reason", MessagesResponse.stopReason(reason))
                    .writeNull("stop_sequence").writeEnd();
            MessagesResponse.writeUsage(g, used);
            g.writeEnd();
        }
        out.accept(new SseEvent("message_delta", buffer.toByteArray()));
        out.accept(new SseEvent("message_stop", "{\"type\":\"message_stop\"}".getBytes()));
    }

    private byte[] messageStart(String id, String model) {
        buffer.reset();
        try (JsonGenerator g = Json.generator(buffer)) {
            g.writeStartObject().write("type", "message_start");
            g.writeStartObject("message").write("id", MessagesResponse.messageId(id)).write("type", "message")
                    .write("role", "assistant").write("model", model).writeStartArray("content").writeEnd()
                    .writeNull("stop_reason").writeNull("stop_sequence");
            MessagesResponse.writeUsage(g, Usage.NONE);
            g.writeEnd().writeEnd();
        }
        return buffer.toByteArray();
    }

    private byte[] blockStart(int index, LlmEvent.BlockStart block) {
        buffer.reset();
        try (JsonGenerator g = Json.generator(buffer)) {
            g.writeStartObject().write("type", "content_block_start").write("index", index);
            g.writeStartObject("content_block");
            switch (block.type()) {
                case TEXT -> g.write("type", "text").write("text", "");
                case REASONING -> g.write("type", "thinking").write("thinking", "").write("signature", "");
                case TOOL_CALL -> g.write("type", "tool_use").write("id", block.callId()).write("name", block.name())
                        .writeStartObject("input").writeEnd();
            }
            g.writeEnd().writeEnd();
        }
        return buffer.toByteArray();
    }

    private SseEvent delta(int index, String type, String field, String value) {
        buffer.reset();
        try (JsonGenerator g = Json.generator(buffer)) {
            g.writeStartObject().write("type", "content_block_delta").write("index", index);
            g.writeStartObject("delta").write("type", type).write(field, value).writeEnd();
            g.writeEnd();
        }
        return new SseEvent("content_block_delta", buffer.toByteArray());
    }
}
