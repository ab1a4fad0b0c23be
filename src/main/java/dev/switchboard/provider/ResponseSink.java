package dev.switchboard.provider;

import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import java.util.List;

/**
 * Where a connector delivers the outcome of one attempt, in the wire format of the door the
 * request came in by (docs/architecture.md, "The internal model and the front doors"). Implemented per request by
 * the routing layer (which may retry) in front of the web layer (which writes to the client).
 *
 * <p>Exactly one terminal call ends an attempt: {@link #completion}, {@link #streamEnd} or
 * {@link #fail}. Calls may come from an I/O thread or the timer thread, never concurrently for
 * the same attempt's data path, and must not block.
 */
public interface ResponseSink {
    /**
     * Streaming: the provider accepted the request and its stream has begun. This is the commit
     * point: from here on nothing is retried, and a failure is an event on the stream. Committing
     * now rather than at the first chunk lets the client see the stream open, and keep-alives
     * start, while a reasoning model thinks before its first token. A sink that commits at its first
     * chunk anyway may ignore it.
     */
    default void streamStart() {
    }

    /**
     * Streaming: one event in the door's wire format (a {@code chat.completion.chunk}, a named
     * Messages or Responses event), without SSE framing, which the web layer adds.
     */
    void chunk(SseEvent event);

    /**
     * Streaming: the chunks translated from one upstream read, in order. A sink that writes to a
     * socket sends them in one write and flush rather than one per chunk; by default each goes to
     * {@link #chunk}. The list is the caller's, valid only during the call.
     */
    default void chunks(List<SseEvent> events) {
        for (SseEvent event : events) {
            chunk(event);
        }
    }

    /** Streaming: the upstream finished properly; {@code usage} is null when it never said. */
    void streamEnd(Usage usage);

    /** Non-streaming: the whole JSON body in the door's wire format. */
    void completion(byte[] json, Usage usage);

    /** The attempt failed; before anything was sent this may still be retried elsewhere. */
    void fail(Failure failure);

    /** Back-pressure: false while the client has not yet taken what was already sent. */
    boolean hasRoom();

    /** Runs {@code resume} once, as soon as {@link #hasRoom()} is true again. */
    void whenRoom(Runnable resume);
}
