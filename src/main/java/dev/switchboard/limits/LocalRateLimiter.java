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
 * debt: the next request is refused until the debt is repaid. A token of a team with limits
 * counts against its own buckets and its team's, which all the team's tokens share.
 */
public final class LocalRateLimiter implements RateLimiter {
    /** The window every budget refills over. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private final TimeMeter time;
    private final ConcurrentMap<Quota, Buckets> buckets = new ConcurrentHashMap<>();

    public LocalRateLimiter() {
        this(TimeMeter.SYSTEM_NANOTIME);
    }

    /** @param time the clock; tests drive it by hand */
    public LocalRateLimiter(TimeMeter time) {
        this.time = time;
    }

    /** Buckets per quota (scope, name and limits), so that a reload changing a limit starts it afresh. */
    private record Buckets(Bucket requests, Bucket tokens) {
    }

    private Buckets buckets(Quota quota) {
        return buckets.computeIfAbsent(quota, key -> new Buckets(
                key.limits().rpm() == null ? null : bucket(key.limits().rpm()),
                key.limits().tpm() == null ? null : bucket(key.limits().tpm())));
    }

    private Bucket bucket(long perMinute) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, WINDOW))
                .withCustomTimePrecision(time)
                .build();
    }

    @Override
    public CompletionStage<Decision> acquire(List<Quota> quotas) {
        List<Quota> limited = RateLimiter.limited(quotas);
        return limited.isEmpty() ? Decision.UNLIMITED_NOW : CompletableFuture.completedFuture(decide(limited));
    }

    /** The decision {@link #acquire(String, Limits)} completes with, at once. */
    public Decision decide(String tokenName, Limits limits) {
        return decide(List.of(Quota.token(tokenName, limits)));
    }

    /** The decision {@link #acquire(List)} completes with, at once. */
    public Decision decide(List<Quota> quotas) {
        List<Quota> limited = RateLimiter.limited(quotas);
        if (limited.isEmpty()) {
            return Decision.UNLIMITED;
        }
        List<Buckets> all = new ArrayList<>(limited.size());
        for (Quota quota : limited) {
            all.add(buckets(quota));
        }
        if (limited.size() == 1) {
            return decide(limited, all);
        }
        // A request of a team's token spends from two buckets; decisions of one team take turns,
        // so that none sees a request taken from one bucket and given back when the other refused.
        synchronized (all.get(all.size() - 1)) {
            return decide(limited, all);
        }
    }

    private Decision decide(List<Quota> quotas, List<Buckets> all) {
        for (int i = 0; i < quotas.size(); i++) {
            Bucket tokens = all.get(i).tokens();
            if (tokens != null && tokens.getAvailableTokens() <= 0) {
                long waitNanos = tokens.estimateAbilityToConsume(1).getNanosToWaitForRefill();
                return Decision.refused(budgets(quotas, all), Decision.Budget.TOKENS, quotas.get(i), waitNanos);
            }
        }
        for (int i = 0; i < quotas.size(); i++) {
            Bucket requests = all.get(i).requests();
            if (requests == null) {
                continue;
            }
            ConsumptionProbe probe = requests.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                for (int spent = 0; spent < i; spent++) {
                    if (all.get(spent).requests() != null) {
                        all.get(spent).requests().addTokens(1);
                    }
                }
                return Decision.refused(budgets(quotas, all), Decision.Budget.REQUESTS, quotas.get(i),
                        probe.getNanosToWaitForRefill());
            }
        }
        return Decision.admitted(budgets(quotas, all));
    }

    @Override
    public void recordTokens(List<Quota> quotas, long tokens) {
        if (tokens <= 0) {
            return;
        }
        for (Quota quota : quotas) {
            if (quota.limits().tpm() != null) {
                buckets(quota).tokens().consumeIgnoringRateLimits(tokens);
            }
        }
    }

    /** Where each limited budget of each quota stands. */
    private static List<Decision.BudgetState> budgets(List<Quota> quotas, List<Buckets> all) {
        List<Decision.BudgetState> budgets = new ArrayList<>(2 * quotas.size());
        for (int i = 0; i < quotas.size(); i++) {
            Limits limits = quotas.get(i).limits();
            Buckets bucket = all.get(i);
            if (limits.rpm() != null) {
                budgets.add(Decision.BudgetState.of(Decision.Budget.REQUESTS, limits.rpm(),
                        bucket.requests().getAvailableTokens()));
            }
            if (limits.tpm() != null) {
                budgets.add(Decision.BudgetState.of(Decision.Budget.TOKENS, limits.tpm(),
                        bucket.tokens().getAvailableTokens()));
            }
        }
        return budgets;
    }
}
