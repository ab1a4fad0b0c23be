package dev.switchboard.provider.mapping;

import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.LlmEvent;
import dev.switchboard.llm.StreamEncoder;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stands between a connector's Chat path and the client's sink when the client came in by another
 * door: Chat chunks are decoded into internal-model events ({@link ChatChunkDecoder}) and encoded
 * by the door's encoder, a whole {@code chat.completion} decoded ({@link ChatCompletionDecoder})
 * and written as the door's body. The events of one upstream read still reach the client together.
 * Failures and back-pressure pass through; the web layer writes a failure in the door's shape. Per
 * attempt; called as a sink is, one thread at a time.
 */
final class BridgeSink implements ResponseSink {
    private final ResponseSink sink;
    private final ClientFormat format;
    private final String requestId;
    private final ChatChunkDecoder decoder = new ChatChunkDecoder();
    private final StreamEncoder encoder;
    private final List<SseEvent> batch = new ArrayList<>();
    private final Consumer<SseEvent> collect = batch::add;
    private final Consumer<LlmEvent> encode;

    BridgeSink(ResponseSink sink, ClientFormat format, String requestId) {
        this.sink = sink;
        this.format = format;
        this.requestId = requestId;
        this.encoder = format.streamEncoder(requestId);
        this.encode = event -> encoder.onEvent(event, collect);
    }

    @Override
    public void streamStart() {
        sink.streamStart();
    }

    @Override
    public void chunk(SseEvent event) {
        decoder.onChunk(event.data(), encode);
        flush();
    }

    @Override
    public void chunks(List<SseEvent> events) {
        for (SseEvent event : events) {
            decoder.onChunk(event.data(), encode);
        }
        flush();
    }

    private void flush() {
        if (!batch.isEmpty()) {
            sink.chunks(batch);
            batch.clear();
        }
    }

    @Override
    public void streamEnd(Usage usage) {
        decoder.end(encode);
        encoder.finish(usage, collect);
        flush();
        sink.streamEnd(usage);
    }

    @Override
    public void completion(byte[] json, Usage usage) {
        sink.completion(format.response(ChatCompletionDecoder.decode(json, usage), requestId), usage);
    }

    @Override
    public void fail(Failure failure) {
        sink.fail(failure);
    }

    @Override
    public boolean hasRoom() {
        return sink.hasRoom();
    }

    @Override
    public void whenRoom(Runnable resume) {
        sink.whenRoom(resume);
    }
}
