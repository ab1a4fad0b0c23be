package dev.switchboard.web;

import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.Usage;
import dev.switchboard.routing.Target;
import dev.switchboard.sse.SseEvent;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The usage of one exchange, counted exactly once: what the provider reported, or, for a stream
 * it never reported for (the client left, the upstream failed midway, or a server that does not
 * report it), an estimate of the prompt and of what the stream generated, marked as estimated
 * (docs/spend.md, "Streams"); and the prompt estimate a token's {@code tpm} is checked against.
 * Per request; its calls come from the container and I/O threads.
 */
final class ExchangeUsage {
    private final ExchangeObserver observer;
    private final AtomicBoolean counted = new AtomicBoolean();
    private volatile ClientRequest request;
    /** What a streamed reply generated; null until a streamed request is parsed. */
    private volatile StreamEstimate stream;
    /** Whether the response became a stream: from then on, the provider bills the request. */
    private volatile boolean streamed;
    /** The request's estimated prompt tokens once counted, else -1. */
    private volatile long promptTokens = -1;

    ExchangeUsage(ExchangeObserver observer) {
        this.observer = observer;
    }

    void parsed(ClientRequest clientRequest) {
        request = clientRequest;
        if (clientRequest.stream()) {
            stream = new StreamEstimate(clientRequest.format());
        }
    }

    /**
     * An event of the stream, counted whether or not the client still takes it: the provider
     * generated it.
     */
    void generated(SseEvent event) {
        StreamEstimate estimate = stream;
        if (estimate != null) {
            estimate.add(event);
        }
    }

    void streamOpened() {
        streamed = true;
    }

    /** The parsed request's estimated prompt tokens ({@link PromptEstimate}), counted once. */
    long promptTokens() {
        long tokens = promptTokens;
        if (tokens < 0) {
            tokens = PromptEstimate.of(request);
            promptTokens = tokens;
        }
        return tokens;
    }

    /**
     * What the provider reported; returns its cost in pico-dollars, 0 when it reported nothing
     * (a stream is then estimated when it ends) or when the usage was already counted.
     */
    long reported(Target target, Usage usage) {
        if (usage == null || !counted.compareAndSet(false, true)) {
            return 0;
        }
        return observer.usage(target, usage, false);
    }

    /** The exchange is over: a stream whose usage was never reported is charged the estimate. */
    void ended(Target target) {
        StreamEstimate estimate = stream;
        if (!streamed || estimate == null || target == null || !counted.compareAndSet(false, true)) {
            return;
        }
        observer.usage(target, estimate.usage(promptTokens()), true);
    }
}
