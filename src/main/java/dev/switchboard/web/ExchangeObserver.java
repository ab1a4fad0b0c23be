package dev.switchboard.web;

import dev.switchboard.llm.Usage;
import dev.switchboard.routing.Target;

/**
 * Hears the life of one exchange, for everything that counts it (metrics, the token's limits, the
 * access log's record; later spend and tracing), so that the exchange itself only moves bytes.
 * Calls come from whichever thread the event happened on; implementations must be fast and must
 * not block.
 */
interface ExchangeObserver {
    /** The response was committed as a stream. */
    void streamOpened();

    /** The first event carrying a token reached the client's queue; at most once. */
    void firstToken(Target target, long atNanos);

    /**
     * What the request used, as the provider reported it or, for a stream cut short before it
     * did, as estimated; at most once. Returns the cost, in pico-dollars, for the response header.
     */
    long usage(Target target, Usage usage, boolean estimated);

    /** The response is complete (the container's onComplete); the last call. */
    void ended(Target target, int attempts);
}
