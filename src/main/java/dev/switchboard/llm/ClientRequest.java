package dev.switchboard.llm;

import jakarta.json.JsonObject;

/**
 * A client's request as its front door parsed and validated it: what routing and every connector
 * need whatever the door (docs/architecture.md, "The internal model and the front doors"). A
 * connector whose provider speaks the door's protocol relays {@link #bodyWithModel}; any other
 * translates {@link #llmRequest()} and answers through {@link #format()}. Immutable; one per
 * request.
 */
public interface ClientRequest {
    /** The door it came in by, which is the wire format the answer goes back in. */
    Protocol protocol();

    /** The model the client asked for: a model id or an alias. */
    String model();

    /** Whether the client asked for a stream of events rather than one answer. */
    boolean stream();

    /** The parsed body, as the door validated it. */
    JsonObject json();

    /** How many bytes the client sent: what a translation of this request is measured against. */
    int bodyLength();

    /**
     * The body exactly as the client sent it, except that {@code model} names the upstream model:
     * what a relay sends. Unknown and newer fields, key order and number spelling are kept.
     */
    byte[] bodyWithModel(String upstreamModel);

    /**
     * The request in the internal model, for a connector that translates it; built on the first
     * call.
     *
     * @throws dev.switchboard.error.GatewayException (400) naming the field that no translation
     *     can carry
     */
    LlmRequest llmRequest();

    /** The door's wire format for the answer: its encoders, stream framing and error shape. */
    ClientFormat format();

    /**
     * Whether the client asks only how many input tokens the request holds (Messages'
     * {@code count_tokens}): nothing is generated, and the answer is {@code {"input_tokens":N}}.
     */
    default boolean countTokens() {
        return false;
    }

    /**
     * A header of the client's request that the door passes on to a provider of its own protocol
     * (Messages' {@code anthropic-beta}), or null.
     */
    default String forwardedHeader(String name) {
        return null;
    }
}
