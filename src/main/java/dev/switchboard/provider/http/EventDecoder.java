package dev.switchboard.provider.http;

import dev.switchboard.llm.LlmEvent;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import java.util.function.Consumer;

/**
 * Turns one upstream event stream into internal-model events, event by event, as they arrive
 * (docs/architecture.md, "The internal model and the front doors"): a connector's side of a
 * translated stream, whose door's encoder writes the client's events ({@link DecodedStream}).
 * Pure and per stream; tested from recorded streams without a server.
 */
public interface EventDecoder {
    /**
     * One upstream event in, zero or more internal-model events out.
     *
     * @throws dev.switchboard.error.GatewayException when the event reports an upstream error
     */
    void onEvent(SseEvent event, Consumer<LlmEvent> out);

    /** As {@link StreamTranslator#onOtherLine}: such lines report errors, never content. */
    default void onOtherLine(byte[] line, int offset, int length) {
    }

    /** As {@link StreamTranslator#isComplete}. */
    boolean isComplete();

    /** As {@link StreamTranslator#isFinished}. */
    default boolean isFinished() {
        return false;
    }

    /**
     * The stream is over: closes what is open and returns the usage, or null when the upstream
     * never reported it. Called once.
     */
    Usage finish(Consumer<LlmEvent> out);
}
