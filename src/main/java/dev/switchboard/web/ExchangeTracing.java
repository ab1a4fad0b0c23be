package dev.switchboard.web;

import dev.switchboard.llm.Usage;
import dev.switchboard.routing.Target;
import dev.switchboard.tracing.RequestTrace;

/**
 * Tells the request's span what the exchange hears that routing does not: the first token reaching
 * the client. Everything goes on to the observer it wraps. Per request; made only when the request
 * is traced.
 */
final class ExchangeTracing implements ExchangeObserver {
    private final ExchangeObserver next;
    private final RequestTrace trace;

    ExchangeTracing(ExchangeObserver next, RequestTrace trace) {
        this.next = next;
        this.trace = trace;
    }

    static ExchangeObserver around(ExchangeObserver next, RequestTrace trace) {
        return trace == RequestTrace.NONE ? next : new ExchangeTracing(next, trace);
    }

    @Override
    public void streamOpened() {
        next.streamOpened();
    }

    @Override
    public void firstToken(Target target, long atNanos) {
        next.firstToken(target, atNanos);
        trace.firstToken(atNanos);
    }

    @Override
    public long usage(Target target, Usage usage, boolean estimated) {
        return next.usage(target, usage, estimated);
    }

    @Override
    public void ended(Target target, int attempts) {
        next.ended(target, attempts);
    }
}
