package dev.switchboard.provider.gemini;

import dev.switchboard.json.Json;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Protocol;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

/**
 * A run of an embeddings request's inputs, sent as one {@code batchEmbedContents} request when the
 * client sent more than {@link GeminiEmbeddings#MAX_BATCH} ({@link GeminiEmbeddings#parts}): the
 * client's request but for {@code input}. Immutable; one per part.
 */
final class EmbeddingsPart implements ClientRequest {
    private final ClientRequest request;
    private final JsonObject json;

    EmbeddingsPart(ClientRequest request, JsonArray inputs) {
        this.request = request;
        this.json = Json.PROVIDER.createObjectBuilder(request.json()).add("input", inputs).build();
    }

    @Override
    public Protocol protocol() {
        return request.protocol();
    }

    @Override
    public String model() {
        return request.model();
    }

    @Override
    public boolean stream() {
        return false;
    }

    @Override
    public JsonObject json() {
        return json;
    }

    @Override
    public int bodyLength() {
        return request.bodyLength();
    }

    @Override
    public byte[] bodyWithModel(String upstreamModel) {
        throw new UnsupportedOperationException("A part of an embeddings request is translated, never relayed.");
    }

    @Override
    public LlmRequest llmRequest() {
        return request.llmRequest();
    }

    @Override
    public ClientFormat format() {
        return request.format();
    }
}
