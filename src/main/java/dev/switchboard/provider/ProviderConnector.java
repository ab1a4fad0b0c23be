package dev.switchboard.provider;

/**
 * Speaks one provider type's protocol. Shared and stateless: everything about one exchange lives
 * in the attempt it starts.
 */
public interface ProviderConnector {
    /**
     * Starts answering the call's request with its model on its provider. Never blocks and never
     * throws: every outcome, including a request that cannot be translated, reaches {@code sink},
     * in the wire format of the door the request came in by.
     */
    Attempt start(ProviderCall call, ResponseSink sink);
}
