package dev.switchboard.llm;

/**
 * A client's request as its front door parsed and validated it: what routing and every connector
 * need whatever the door. Immutable; one per request.
 */
public interface ClientRequest {
    /** The door it came in by, which is the wire format the answer goes back in. */
    Protocol protocol();

    /** The model the client asked for: a model id or an alias. */
    String model();

    /** Whether the client asked for a stream of events rather than one answer. */
    boolean stream();
}
