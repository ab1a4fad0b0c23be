package dev.switchboard.llm;

import dev.switchboard.sse.SseEvent;
import java.util.function.Consumer;

/**
 * Turns the events of one reply in the internal model into a front door's wire events, as they
 * come (docs/architecture.md, "The internal model and the front doors"). Pure and per stream;
 * driven by one thread at a time.
 */
public interface StreamEncoder {
    /** One event in, zero or more wire events out. */
    void onEvent(LlmEvent event, Consumer<SseEvent> out);

    /**
     * The reply is over: what the door still owes (its closing events, the usage) goes out.
     * Called once.
     *
     * @param usage what the reply used, or null when the provider never said
     */
    void finish(Usage usage, Consumer<SseEvent> out);
}
