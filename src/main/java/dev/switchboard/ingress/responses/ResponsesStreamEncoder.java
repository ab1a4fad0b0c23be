package dev.switchboard.ingress.responses;

import dev.switchboard.json.Json;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmEvent;
import dev.switchboard.llm.StreamEncoder;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Internal-model events as the Responses stream (docs/protocols/openai-responses.md §4.2), in the
 * order the SDKs require (§4.3): {@code response.created} and {@code response.in_progress} first;
 * per block an output item, added before its deltas and done after them (text as a message with
 * one {@code output_text} part, reasoning as a summary, a tool call as a {@code function_call});
 * {@code response.completed} (or {@code response.incomplete}) last with the whole output and the
 * usage. Every event carries its {@code sequence_number}, from 0 up by one. A signature from
 * another provider rides in the reasoning item's {@code encrypted_content} ({@link ReasoningCodec}).
 * Only choice 0 is sent. Per stream.
 */
final class ResponsesStreamEncoder implements StreamEncoder {
    private final String responseId;
    private final long createdAt;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final List<ResponsesJson.Item> output = new ArrayList<>();
    private final Map<Integer, Integer> positions = new HashMap<>();
    /** Each reasoning item's signature as the provider sent it so far, packed only whole. */
    private final Map<Integer, String> signatures = new HashMap<>();
    private long sequence;
    private String model = "";
    private boolean started;
    private int nextId;
    private FinishReason reason;

    ResponsesStreamEncoder(String responseId, long createdAt) {
        this.responseId = responseId;
        this.createdAt = createdAt;
    }

    @Override
    public void onEvent(LlmEvent event, Consumer<SseEvent> out) {
        if (event instanceof LlmEvent.Start start) {
            started = true;
            model = start.model();
            out.accept(response("response.created", "in_progress", null));
            out.accept(response("response.in_progress", "in_progress", null));
            return;
        }
        if (!started) {
            return;
        }
        if (event instanceof LlmEvent.BlockStart block && block.choice() == 0) {
            start(block, out);
        } else if (event instanceof LlmEvent.TextDelta d && d.choice() == 0) {
            delta(d.index(), d.text(), "response.output_text.delta", out);
        } else if (event instanceof LlmEvent.ReasoningDelta d && d.choice() == 0) {
            delta(d.index(), d.text(), "response.reasoning_summary_text.delta", out);
        } else if (event instanceof LlmEvent.ArgumentsDelta d && d.choice() == 0) {
            delta(d.index(), d.fragment(), "response.function_call_arguments.delta", out);
        } else if (event instanceof LlmEvent.SignatureDelta d && d.choice() == 0) {
            Integer position = positions.get(d.index());
            if (position != null) {
                ResponsesJson.Item item = output.get(position);
                // A signature may come in several deltas: they are joined, and the whole is packed once.
                item.encrypted = ReasoningCodec.encode(d.origin(), signatures.merge(position, d.signature(), String::concat));
            }
        } else if (event instanceof LlmEvent.BlockStop stop && stop.choice() == 0) {
            Integer position = positions.get(stop.index());
            if (position != null) {
                done(position, out);
            }
        } else if (event instanceof LlmEvent.Finish finish && finish.choice() == 0) {
            reason = finish.reason();
        }
    }

    private void start(LlmEvent.BlockStart block, Consumer<SseEvent> out) {
        int position = output.size();
        ResponsesJson.Item item = switch (block.type()) {
            case TEXT -> new ResponsesJson.Item(ResponsesJson.Item.Type.MESSAGE, "msg_" + responseId + "_" + nextId++, null, null);
            case REASONING -> new ResponsesJson.Item(ResponsesJson.Item.Type.REASONING, "rs_" + responseId + "_" + nextId++,
                    null, null);
            case TOOL_CALL -> new ResponsesJson.Item(ResponsesJson.Item.Type.FUNCTION_CALL,
                    "fc_" + responseId + "_" + nextId++, block.callId(), block.name());
        };
        output.add(item);
        positions.put(block.index(), position);
        out.accept(event("response.output_item.added", g -> {
            g.write("output_index", position);
            ResponsesJson.writeItem(g, "item", item);
        }));
        switch (block.type()) {
            case TEXT -> out.accept(event("response.content_part.added", g -> {
                itemRef(g, item, position).write("content_index", 0);
                ResponsesJson.writeTextPart(g, "part", "");
            }));
            case REASONING -> out.accept(event("response.reasoning_summary_part.added", g -> {
                itemRef(g, item, position).write("summary_index", 0);
                g.writeStartObject("part").write("type", "summary_text").write("text", "").writeEnd();
            }));
            case TOOL_CALL -> {
                if (!block.arguments().isEmpty()) {
                    delta(block.index(), block.arguments(), "response.function_call_arguments.delta", out);
                }
            }
        }
    }

    private void delta(int index, String text, String type, Consumer<SseEvent> out) {
        Integer position = positions.get(index);
        if (position == null || text == null || text.isEmpty()) {
            return;
        }
        ResponsesJson.Item item = output.get(position);
        item.text.append(text);
        out.accept(event(type, g -> {
            itemRef(g, item, position);
            switch (item.type) {
                case MESSAGE -> g.write("content_index", 0).write("delta", text).writeStartArray("logprobs").writeEnd();
                case REASONING -> g.write("summary_index", 0).write("delta", text);
                case FUNCTION_CALL -> g.write("delta", text);
            }
        }));
    }

    private void done(int position, Consumer<SseEvent> out) {
        ResponsesJson.Item item = output.get(position);
        if (item.done) {
            return;
        }
        String text = item.text.toString();
        switch (item.type) {
            case MESSAGE -> {
                out.accept(event("response.output_text.done", g -> itemRef(g, item, position).write("content_index", 0)
                        .write("text", text).writeStartArray("logprobs").writeEnd()));
                out.accept(event("response.content_part.done", g -> {
                    itemRef(g, item, position).write("content_index", 0);
                    ResponsesJson.writeTextPart(g, "part", text);
                }));
            }
            case REASONING -> {
                out.accept(event("response.reasoning_summary_text.done", g -> itemRef(g, item, position)
                        .write("summary_index", 0).write("text", text)));
                out.accept(event("response.reasoning_summary_part.done", g -> {
                    itemRef(g, item, position).write("summary_index", 0);
                    g.writeStartObject("part").write("type", "summary_text").write("text", text).writeEnd();
                }));
            }
            case FUNCTION_CALL -> out.accept(event("response.function_call_arguments.done", g -> itemRef(g, item, position)
                    .write("name", item.name).write("arguments", text)));
        }
        item.done = true;
        out.accept(event("response.output_item.done", g -> {
            g.write("output_index", position);
            ResponsesJson.writeItem(g, "item", item);
        }));
    }

    private static JsonGenerator itemRef(JsonGenerator g, ResponsesJson.Item item, int position) {
        return g.write("item_id", item.id).write("output_index", position);
    }

    @Override
    public void finish(Usage usage, Consumer<SseEvent> out) {
        if (!started) {
            return;
        }
        for (int position = 0; position < output.size(); position++) {
            done(position, out);
        }
        String status = ResponsesJson.status(reason);
        out.accept(response("completed".equals(status) ? "response.completed" : "response.incomplete", status,
                usage == null ? Usage.NONE : usage));
    }

    private SseEvent response(String type, String status, Usage usage) {
        return event(type, g -> ResponsesJson.writeResponse(g, "response", responseId, model, createdAt, status, reason,
                output, usage, null, null));
    }

    private SseEvent event(String type, Consumer<JsonGenerator> fields) {
        buffer.reset();
        try (JsonGenerator g = Json.generator(buffer)) {
            g.writeStartObject().write("type", type).write("sequence_number", sequence++);
            fields.accept(g);
            g.writeEnd();
        }
        return new SseEvent(type, buffer.toByteArray());
    }
}
