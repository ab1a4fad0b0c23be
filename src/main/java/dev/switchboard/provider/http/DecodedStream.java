package dev.switchboard.provider.http;

import dev.switchboard.llm.LlmEvent;
import dev.switchboard.llm.StreamEncoder;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import java.util.function.Consumer;

/**
 * A translated stream: the provider's events decoded into internal-model events
 * ({@link EventDecoder}) and those encoded in the door's wire format ({@link StreamEncoder}), one
 * event at a time (docs/architecture.md, "The internal model and the front doors"). Per stream;
 * driven by one thread at a time.
 */
public final class DecodedStream implements StreamTranslator {
    private final EventDecoder decoder;
    private final StreamEncoder encoder;
    private Consumer<SseEvent> out;
    private final Consumer<LlmEvent> encode;

    public DecodedStream(EventDecoder decoder, StreamEncoder encoder) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.encode = event -> encoder.onEvent(event, out);
    }

    @Override
    public void onEvent(SseEvent event, Consumer<SseEvent> out) {
        this.out = out;
        decoder.onEvent(event, encode);
    }

    @Override
    public void onOtherLine(byte[] line, int offset, int length) {
        decoder.onOtherLine(line, offset, length);
    }

    @Override
    public boolean isComplete() {
        return decoder.isComplete();
    }

    @Override
    public boolean isFinished() {
        return decoder.isFinished();
    }

    @Override
    public Usage finish(Consumer<SseEvent> out) {
        this.out = out;
        Usage usage = decoder.finish(encode);
        encoder.finish(usage, out);
        return usage;
    }
}
