package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.limits.RateLimiter;
import dev.switchboard.llm.Usage;
import dev.switchboard.routing.Target;
import dev.switchboard.spend.PriceBook;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.telemetry.RequestRecord;

/**
 * Counts one exchange: the open-stream gauge and time-to-first-token histogram, the tokens against
 * the caller's per-minute budget, the cost of what it used, and what the access-log line will say.
 * Per request.
 */
final class ExchangeAccounting implements ExchangeObserver {
    private final GatewayMetrics metrics;
    private final RateLimiter rateLimiter;
    private final Caller caller;
    private final RequestRecord record;
    private final PriceBook prices;
    private volatile boolean streamCounted;

    ExchangeAccounting(GatewayMetrics metrics, RateLimiter rateLimiter, Caller caller, RequestRecord record,
                       PriceBook prices) {
        this.metrics = metrics;
        this.prices = prices;
        this.rateLimiter = rateLimiter;
        this.caller = caller;
        this.record = record;
    }

    @Override
    public void streamOpened() {
        streamCounted = true;
        metrics.streamOpened();
    }

    @Override
    public void firstToken(Target target, long atNanos) {
        if (record.firstToken(atNanos)) {
            metrics.firstToken(target.model().id(), target.provider().id(), record.firstTokenAfterNanos() / 1e9);
        }
    }

    @Override
    public long usage(Target target, Usage usage, boolean estimated) {
        long picoUsd = target == null ? 0 : prices.picoUsd(target.model().id(), usage);
        record.usage(usage, picoUsd, estimated);
        rateLimiter.recordTokens(caller.quotas(), usage.totalTokens());
        return picoUsd;
    }

    @Override
    public void ended(Target target, int attempts) {
        if (streamCounted) {
            metrics.streamClosed();
        }
        if (target != null) {
            record.target(target.model().id(), target.provider().id(), attempts);
        }
    }
}
