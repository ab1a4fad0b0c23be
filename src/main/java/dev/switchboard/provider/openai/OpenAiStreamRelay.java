package dev.switchboard.provider.openai;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.sse.SseEvent;
import java.util.function.Consumer;

/**
 * The "translator" for OpenAI-compatible streams: each chunk goes out byte for byte. It watches
 * for what the gateway must act on: the usage chunk, an in-stream error, and whether the stream
 * really finished ({@code [DONE]}, or at least a finish_reason) before the body ended. The
 * upstream's own {@code [DONE]} is not relayed: the web layer writes one when the stream ends
 * well. The usage-only chunk is not relayed either when the client did not ask for it: the gateway
 * asked on its behalf ({@link RelayBody}; docs/spend.md, "Streams"). Per stream.
 */
final class OpenAiStreamRelay implements StreamTranslator {
    /** Whether the client asked for {@code stream_options.include_usage} itself. */
    private final boolean clientAskedUsage;
    private boolean done;
    private boolean finished;
    private Usage usage;

    OpenAiStreamRelay(boolean clientAskedUsage) {
        this.clientAskedUsage = clientAskedUsage;
    }

    @Override
    public void onEvent(SseEvent event, Consumer<SseEvent> out) {
        if (done) {
            return;
        }
        if (event.isDone()) {
            done = true;
            return;
        }
        OpenAiResponses.ChunkFacts facts = OpenAiResponses.readChunk(event.data());
        if (facts.error() != null) {
            OpenAiResponses.ErrorFields error = facts.error();
            throw new GatewayException(ErrorKind.UPSTREAM_BAD_RESPONSE.relayed(502, error.type(), error.code(),
                    error.param(), error.message() == null ? "The provider reported an error." : error.message()));
        }
        if (facts.usage() != null) {
            usage = facts.usage();
        }
        finished |= facts.finishes();
        if (facts.usageOnly() && !clientAskedUsage) {
            return;
        }
        // Chat's chunks are unnamed; a name some server adds is not passed on.
        out.accept(event.type() == null ? event : SseEvent.of(event.data()));
    }

    @Override
    public boolean isComplete() {
        // Some OpenAI-compatible servers omit [DONE]; a finish_reason is as good an end.
        return done || finished;
    }

    /** {@code [DONE]}: OpenAI's terminator, after every choice's finish and the usage chunk. */
    @Override
    public boolean isFinished() {
        return done;
    }

    @Override
    public Usage finish(Consumer<SseEvent> out) {
        return usage;
    }
}
