package dev.switchboard.ingress.responses;

import dev.switchboard.error.GatewayError;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.Protocol;
import dev.switchboard.llm.StreamEncoder;
import dev.switchboard.sse.SseEvent;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The Responses door's wire format for answers (docs/protocols/openai-responses.md §3–§5): the
 * {@code response} object, the typed stream with its {@code sequence_number}s, which ends with its
 * own terminal event and needs no trailer, OpenAI's error body before the stream starts and
 * {@code response.failed} after, the one in-stream failure Codex understands (§5). Shared and
 * stateless.
 */
public final class ResponsesFormat implements ClientFormat {
    public static final ResponsesFormat INSTANCE = new ResponsesFormat();
    /** OpenAI's prefix of response ids. */
    static final String ID_PREFIX = "resp_";

    private ResponsesFormat() {
    }

    @Override
    public Protocol protocol() {
        return Protocol.RESPONSES;
    }

    @Override
    public StreamEncoder streamEncoder(String requestId) {
        return new ResponsesStreamEncoder(responseId(requestId), System.currentTimeMillis() / 1000);
    }

    @Override
    public byte[] response(LlmResponse response, String requestId) {
        List<ResponsesJson.Item> output = new ArrayList<>();
        int n = 0;
        String id = responseId(requestId);
        for (Content block : response.content()) {
            ResponsesJson.Item item = null;
            if (block instanceof Content.Text text) {
                item = new ResponsesJson.Item(ResponsesJson.Item.Type.MESSAGE, "msg_" + id + "_" + n++, null, null);
                item.text.append(text.text());
            } else if (block instanceof Content.Reasoning reasoning) {
                item = new ResponsesJson.Item(ResponsesJson.Item.Type.REASONING, "rs_" + id + "_" + n++, null, null);
                item.text.append(reasoning.text() == null ? "" : reasoning.text());
                item.encrypted = reasoning.signature() == null ? null
                        : ReasoningCodec.encode(reasoning.origin(), reasoning.signature());
            } else if (block instanceof Content.FunctionCall call) {
                item = new ResponsesJson.Item(ResponsesJson.Item.Type.FUNCTION_CALL, "fc_" + id + "_" + n++, call.id(),
                        call.name());
                item.text.append(call.arguments());
            }
            if (item != null) {
                item.done = true;
                output.add(item);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.generator(out)) {
            ResponsesJson.writeResponse(g, null, id, response.model(), System.currentTimeMillis() / 1000,
                    ResponsesJson.status(response.finish()), response.finish(), output, response.usage(), null, null);
        }
        return out.toByteArray();
    }

    static String responseId(String requestId) {
        return ID_PREFIX + (requestId == null ? "switchboard" : requestId.replaceAll("[^A-Za-z0-9]", ""));
    }

    @Override
    public byte[] streamTrailer() {
        return null;
    }

    /** Text, reasoning and argument deltas are the events that carry tokens (§4.2). */
    @Override
    public boolean carriesToken(SseEvent event) {
        String type = event.type();
        return type != null && type.endsWith(".delta");
    }

    /** A delta event's {@code delta}: output text, reasoning summary or function-call arguments. */
    @Override
    public void generatedText(byte[] data, StringBuilder out) {
        try {
            String text = JsonFields.string(Json.parseObject(data), "delta");
            if (text != null) {
                out.append(text);
            }
        } catch (RuntimeException e) {
            // Not JSON we can read: it adds nothing to the estimate.
        }
    }

    @Override
    public byte[] errorBody(GatewayError error, String requestId) {
        return error.toJson();
    }

    /**
     * {@code response.failed} with the error's code and message (§5), numbered after the events
     * the client has had.
     */
    @Override
    public SseEvent errorEvent(GatewayError error, String requestId, long eventsSent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject().write("type", "response.failed").write("sequence_number", eventsSent);
            ResponsesJson.writeResponse(g, "response", responseId(requestId), "", System.currentTimeMillis() / 1000,
                    "failed", null, List.of(), null, error.code() == null ? "server_error" : error.code(), error.message());
            g.writeEnd();
        }
        return new SseEvent("response.failed", out.toByteArray());
    }
}
