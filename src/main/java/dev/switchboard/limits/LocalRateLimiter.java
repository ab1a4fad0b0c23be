package dev.switchboard.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link RateLimiter} on Bucket4j token buckets in this JVM (per node; shared by all requests).
 * Each budget is a bucket of its per-minute size, refilled smoothly over the minute, so a client
 * may burst up to its budget and then gets one request back every 60/rpm seconds. Tokens are
 * counted after the fact, when a request reports its usage, so the token bucket may go into
 * debt: the next request is refused until the debt is repaid.
 */
public final class LocalRateLimiter implements RateLimiter {
    /** The window every budget refills over. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private final TimeMeter time;
    private final ConcurrentMap<Key, Buckets> buckets = new ConcurrentHashMap<>();

    public LocalRateLimiter() {
        this(TimeMeter.SYSTEM_NANOTIME);
    }

    /** @param time the clock; tests drive it by hand */
    public LocalRateLimiter(TimeMeter time) {
        this.time = time;
    }

    /** Buckets per token and limits, so that a reload changing a limit starts it afresh. */
    private record Key(String tokenName, Limits limits) {
    }

    private record Buckets(Bucket requests, Bucket tokens) {
    }

    private Buckets buckets(String tokenName, Limits limits) {
        return buckets.computeIfAbsent(new Key(tokenName, limits), key -> new Buckets(
                limits.rpm() == null ? null : bucket(limits.rpm()),
                limits.tpm() == null ? null : bucket(limits.tpm())));
    }

    private Bucket bucket(long perMinute) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, WINDOW))
                .withCustomTimePrecision(time)
                .build();
    }

    @Override
    public CompletionStage<Decision> acquire(String tokenName, Limits limits) {
        return limits.isLimited() ? CompletableFuture.completedFuture(decide(tokenName, limits)) : Decision.UNLIMITED_NOW;
    }

    /** The decision {@link #acquire} completes with, at once. */
    public Decision decide(String tokenName, Limits limits) {
        if (!limits.isLimited()) {
            return Decision.UNLIMITED;
        }
        Buckets bucket = buckets(tokenName, limits);
        if (bucket.tokens() != null && bucket.tokens().getAvailableTokens() <= 0) {
            long waitNanos = bucket.tokens().estimateAbilityToConsume(1).getNanosToWaitForRefill();
            return refused(limits, bucket, Decision.Budget.TOKENS, waitNanos);
        }
        if (bucket.requests() != null) {
            ConsumptionProbe probe = bucket.requests().tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                return refused(limits, bucket, Decision.Budget.REQUESTS, probe.getNanosToWaitForRefill());
            }
        }
        return new Decision(true, budgets(limits, bucket), 0, null);
    }

    private Decision refused(Limits limits, Buckets bucket, Decision.Budget exhausted, long waitNanos) {
        return Decision.refused(budgets(limits, bucket), exhausted, waitNanos);
    }

    @Override
    public void recordTokens(String tokenName, Limits limits, long tokens) {
        if (limits.tpm() != null && tokens > 0) {
            buckets(tokenName, limits).tokens().consumeIgnoringRateLimits(tokens);
        }
    }

    /** Where each limited budget stands. */
    private static List<Decision.BudgetState> budgets(Limits limits, Buckets bucket) {
        List<Decision.BudgetState> budgets = new ArrayList<>(2);
        if (limits.rpm() != null) {
            budgets.add(Decision.BudgetState.of(Decision.Budget.REQUESTS, limits.rpm(),
                    bucket.requests().getAvailableTokens()));
        }
        if (limits.tpm() != null) {
            budgets.add(Decision.BudgetState.of(Decision.Budget.TOKENS, limits.tpm(), bucket.tokens().getAvailableTokens()));
        }
        return budgets;
    }
}
