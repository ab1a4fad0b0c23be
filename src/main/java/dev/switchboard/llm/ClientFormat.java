package dev.switchboard.llm;

import dev.switchboard.error.GatewayError;
import dev.switchboard.sse.SseEvent;

/**
 * One front door's wire format for what goes back to the client (docs/architecture.md, "The
 * internal model and the front doors"): the encoders that turn the internal model into its events
 * and bodies, how its streams end, which of its events carry a token, and its error shape. Shared
 * and stateless; the encoders it makes are per reply.
 */
public interface ClientFormat {
    /** The door's protocol. */
    Protocol protocol();

    /** A fresh encoder for one streamed reply. */
    StreamEncoder streamEncoder(String requestId);

    /** A whole reply as the door's JSON body. */
    byte[] response(LlmResponse response, String requestId);

    /**
     * Bytes written after the last event of a stream that ended well, or null: Chat's
     * {@code data: [DONE]}; Messages and Responses end with an event of their own.
     */
    byte[] streamTrailer();

    /**
     * Whether an event of this door's stream carries a token (text, reasoning or tool arguments),
     * for the time-to-first-token measure: the first events of a stream (role, block starts) do
     * not. Runs on every event until the first token is seen, so it must be cheap.
     */
    boolean carriesToken(SseEvent event);

    /**
     * The text an event of this door's stream generated (text, reasoning, tool names and
     * arguments), appended to {@code out}, for estimating what a stream cut short used
     * (docs/spend.md, "Streams"). Runs only then, on the data of a bounded sample of the events
     * that {@link #carriesToken carry a token} (the sample keeps their data, not their type); an
     * event it cannot read adds nothing.
     */
    default void generatedText(byte[] data, StringBuilder out) {
    }

    /** The status of an error answered before the stream started, in this door's terms. */
    default int errorStatus(GatewayError error) {
        return error.status();
    }

    /** The JSON body of an error answered before the stream started. */
    byte[] errorBody(GatewayError error, String requestId);

    /**
     * The event that ends a stream with an error after it started.
     *
     * @param eventsSent how many events the client has had: a door that numbers its events
     *     (Responses' {@code sequence_number}) continues from there
     */
    SseEvent errorEvent(GatewayError error, String requestId, long eventsSent);

    /** Extra headers of an error answer, as name and value pairs (Anthropic's {@code x-should-retry}). */
    default String[] errorHeaders(GatewayError error) {
        return NO_HEADERS;
    }

    String[] NO_HEADERS = new String[0];
}
