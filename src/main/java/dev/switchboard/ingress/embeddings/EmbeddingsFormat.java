package dev.switchboard.ingress.embeddings;

import dev.switchboard.error.GatewayError;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.Protocol;
import dev.switchboard.llm.StreamEncoder;
import dev.switchboard.sse.SseEvent;

/**
 * The embeddings door's wire format: a whole {@code list} body that the connector builds itself
 * (docs/protocols/embeddings.md §1.2), and OpenAI's error shape. It never streams and has no
 * internal-model answer to encode. Shared and stateless.
 */
final class EmbeddingsFormat implements ClientFormat {
    static final EmbeddingsFormat INSTANCE = new EmbeddingsFormat();

    private EmbeddingsFormat() {
    }

    @Override
    public Protocol protocol() {
        return Protocol.EMBEDDINGS;
    }

    @Override
    public StreamEncoder streamEncoder(String requestId) {
        throw new IllegalStateException("embeddings never stream");
    }

    @Override
    public byte[] response(LlmResponse response, String requestId) {
        throw new IllegalStateException("embeddings are not a conversation's reply");
    }

    @Override
    public byte[] streamTrailer() {
        return null;
    }

    @Override
    public boolean carriesToken(SseEvent event) {
        return false;
    }

    @Override
    public byte[] errorBody(GatewayError error, String requestId) {
        return error.toJson();
    }

    @Override
    public SseEvent errorEvent(GatewayError error, String requestId, long eventsSent) {
        return SseEvent.of(error.toJson());
    }
}
