package dev.switchboard.ingress.responses;

import dev.switchboard.llm.BodyCheck;
import dev.switchboard.llm.BodyCheck.Kind;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Protocol;
import dev.switchboard.llm.RawBody;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Map;

/**
 * A client's {@code POST /v1/responses} body after validation (docs/protocols/openai-responses.md
 * §2): the bytes an OpenAI provider with the Responses API gets back unchanged but for the model,
 * and the parsed tree a translation reads. Switchboard stores nothing, so a request that builds on
 * stored state ({@code previous_response_id}, {@code conversation}) is a 400 asking for the whole
 * conversation in {@code input}, as Codex sends it with {@code store: false} (§6); {@code store}
 * itself is accepted and has no effect here. Immutable; one per request.
 */
public final class ResponsesRequest implements ClientRequest {
    private static final Map<String, Kind> FIELD_TYPES = Map.ofEntries(
            Map.entry("input", Kind.STRING_OR_ARRAY),
            Map.entry("instructions", Kind.STRING),
            Map.entry("tools", Kind.ARRAY),
            Map.entry("tool_choice", Kind.STRING_OR_OBJECT),
            Map.entry("parallel_tool_calls", Kind.BOOLEAN),
            Map.entry("text", Kind.OBJECT),
            Map.entry("reasoning", Kind.OBJECT),
            Map.entry("max_output_tokens", Kind.INTEGER),
            Map.entry("temperature", Kind.NUMBER),
            Map.entry("top_p", Kind.NUMBER),
            Map.entry("metadata", Kind.OBJECT),
            Map.entry("stream", Kind.BOOLEAN),
            Map.entry("store", Kind.BOOLEAN),
            Map.entry("include", Kind.ARRAY),
            Map.entry("user", Kind.STRING),
            Map.entry("safety_identifier", Kind.STRING));

    private final RawBody body;
    private final String model;
    private final boolean stream;
    private LlmRequest llmRequest;

    private ResponsesRequest(RawBody body, String model, boolean stream) {
        this.body = body;
        this.model = model;
        this.stream = stream;
    }

    /** @throws dev.switchboard.error.GatewayException (400) naming the field at fault */
    public static ResponsesRequest parse(byte[] bytes, int length) {
        JsonObject json = BodyCheck.object(bytes, length);
        String model = BodyCheck.model(json);
        for (String stored : new String[] {"previous_response_id", "conversation"}) {
            JsonValue value = json.get(stored);
            if (value != null && value.getValueType() != JsonValue.ValueType.NULL) {
                throw BodyCheck.invalid(stored, "Switchboard stores no responses, so '" + stored + "' cannot be used:"
                        + " send the whole conversation in 'input' (with store: false, as Codex does).");
            }
        }
        for (Map.Entry<String, JsonValue> field : json.entrySet()) {
            Kind kind = FIELD_TYPES.get(field.getKey());
            if (kind != null) {
                BodyCheck.type(field.getKey(), field.getValue(), kind);
            }
        }
        BodyCheck.required(json, "input", Kind.STRING_OR_ARRAY, "input");
        if (json.get("input") instanceof JsonArray input) {
            BodyCheck.objects(input, "input");
        }
        BodyCheck.objects(json.get("tools"), "tools");
        return new ResponsesRequest(new RawBody(bytes, length, json), model, json.get("stream") == JsonValue.TRUE);
    }

    @Override
    public Protocol protocol() {
        return Protocol.RESPONSES;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return stream;
    }

    @Override
    public JsonObject json() {
        return body.json();
    }

    @Override
    public int bodyLength() {
        return body.length();
    }

    @Override
    public byte[] bodyWithModel(String upstreamModel) {
        return body.withModel(model, upstreamModel);
    }

    @Override
    public synchronized LlmRequest llmRequest() {
        if (llmRequest == null) {
            llmRequest = ResponsesToLlm.map(body.json(), model, stream);
        }
        return llmRequest;
    }

    @Override
    public ClientFormat format() {
        return ResponsesFormat.INSTANCE;
    }
}
