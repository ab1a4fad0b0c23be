package dev.switchboard.chat;

import dev.switchboard.json.Json;
import dev.switchboard.json.RawJson;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Protocol;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A client's {@code POST /v1/chat/completions} body after validation: the parsed tree for the
 * translators, the raw bytes for relaying to OpenAI-compatible upstreams, and the few fields every
 * layer needs. Immutable; one per request.
 */
public final class ChatRequest implements ClientRequest {
    private final byte[] body;
    private final int bodyLength;
    private final JsonObject json;
    private final String model;
    private final boolean stream;
    private final boolean includeUsage;
    private final int clientBytes;
    private LlmRequest llmRequest;

    ChatRequest(byte[] body, int bodyLength, JsonObject json, String model, boolean stream, boolean includeUsage,
                int clientBytes) {
        this.clientBytes = clientBytes;
        this.body = body;
        this.bodyLength = bodyLength;
        this.json = json;
        this.model = model;
        this.stream = stream;
        this.includeUsage = includeUsage;
    }

    @Override
    public Protocol protocol() {
        return Protocol.CHAT;
    }

    @Override
    public JsonObject json() {
        return json;
    }

    /**
     * How many bytes the client sent: what a translation of this request is measured against. For
     * a Chat request made from another door's, the size of that door's body.
     */
    @Override
    public int bodyLength() {
        return clientBytes;
    }

    /** The model the client asked for: a model id or an alias. */
    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return stream;
    }

    /** {@code stream_options.include_usage}: the client wants the usage-only chunk before [DONE]. */
    public boolean includeUsage() {
        return includeUsage;
    }

    /**
     * The body exactly as the client sent it, except that {@code model} names the upstream model.
     * Unknown and newer fields, key order and number spelling are kept byte for byte.
     */
    @Override
    public byte[] bodyWithModel(String upstreamModel) {
        if (upstreamModel.equals(model)) {
            return bodyLength == body.length ? body : java.util.Arrays.copyOf(body, bodyLength);
        }
        long range = RawJson.findTopLevelString(body, bodyLength, "model");
        if (range >= 0) {
            return RawJson.splice(body, bodyLength, (int) (range >>> 32), (int) range, RawJson.quote(upstreamModel));
        }
        // The key was spelled with escapes; fall back to the tree, which is equivalent JSON.
        return Json.write(jakarta.json.Json.createObjectBuilder(json).add("model", upstreamModel).build());
    }

    /**
     * The request in the internal model ({@link ChatToLlm}), built on the first call: what the
     * translating connectors map (docs/architecture.md, "As built").
     */
    @Override
    public synchronized LlmRequest llmRequest() {
        if (llmRequest == null) {
            llmRequest = ChatToLlm.map(json, model, stream);
        }
        return llmRequest;
    }

    @Override
    public ClientFormat format() {
        return ChatFormat.of(includeUsage);
    }

    /** A top-level member, or null when absent or JSON null. */
    public JsonValue get(String name) {
        JsonValue value = json.get(name);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : value;
    }
}
