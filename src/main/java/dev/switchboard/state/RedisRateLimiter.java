package dev.switchboard.state;

import dev.switchboard.config.RedisConfig;
import dev.switchboard.limits.Decision;
import dev.switchboard.limits.Limits;
import dev.switchboard.limits.LocalRateLimiter;
import dev.switchboard.limits.RateLimiter;
import dev.switchboard.telemetry.GatewayMetrics;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.RedisApi;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link RateLimiter} whose buckets live in Redis, so that every node counts against one budget
 * per token (docs/operations.md#running-several-nodes): Bucket4j's Lettuce backend, whose buckets
 * are the same as {@link LocalRateLimiter}'s (a bucket of the per-minute size, refilled smoothly
 * over the minute), kept in Redis and updated with a compare-and-swap script. A decision costs one
 * read of the token bucket and a read and a swap of the request bucket, all asynchronous.
 *
 * <p>While Redis does not answer the node decides alone with its {@link LocalRateLimiter}
 * ({@code onFailure} {@code local}), or refuses requests of limited tokens ({@code reject});
 * either way the client never waits longer than the command timeout. Shared; thread-safe.
 */
public final class RedisRateLimiter implements RateLimiter {
    /** Buckets whose tokens are all back are dropped from Redis after this much more. */
    static final Duration KEEP_FULL_BUCKETS = Duration.ofSeconds(10);
    /** Token-and-limits pairs kept at most; only reloads that keep renaming tokens come near it. */
    static final int MAX_TOKENS = 100_000;
    static final String USE = "limits";

    private final RedisStore store;
    private final LocalRateLimiter local;
    private final GatewayMetrics.StoreMetrics metrics;
    private final AsyncProxyManager<Object> buckets;
    private final ConcurrentMap<Key, Buckets> proxies = new ConcurrentHashMap<>();

    public RedisRateLimiter(RedisStore store, LocalRateLimiter local, GatewayMetrics.StoreMetrics metrics) {
        this.store = store;
        this.local = local;
        this.metrics = metrics;
        this.buckets = new Bucket4jLettuce.LettuceBasedProxyManagerBuilder<>(new StoreApi(store))
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_FULL_BUCKETS))
                .build().asAsync();
    }

    /**
     * Bucket4j's view of Redis, through the store's current connection. Its keys are typed
     * {@code Object} because Bucket4j hands them over in an {@code Object[]}; they are the strings
     * this class names them with.
     */
    private record StoreApi(RedisStore store) implements RedisApi<Object> {
        @Override
        public <V> RedisFuture<V> eval(String script, ScriptOutputType type, Object[] keys, byte[][] params) {
            String[] names = new String[keys.length];
            for (int i = 0; i < keys.length; i++) {
                names[i] = (String) keys[i];
            }
            return store.commands().eval(script, type, names, params);
        }

        @Override
        public RedisFuture<byte[]> get(Object key) {
            return store.commands().get((String) key);
        }

        @Override
        public RedisFuture<?> delete(Object key) {
            return store.commands().del((String) key);
        }
    }

    /** Buckets per token and limits, so that a reload changing a limit starts it afresh, as in memory. */
    private record Key(String tokenName, Limits limits) {
    }

    private record Buckets(AsyncBucketProxy requests, AsyncBucketProxy tokens) {
    }

    private Buckets buckets(String tokenName, Limits limits) {
        Key key = new Key(tokenName, limits);
        Buckets found = proxies.get(key);
        if (found == null) {
            if (proxies.size() >= MAX_TOKENS) {
                proxies.clear();
            }
            found = proxies.computeIfAbsent(key, k -> new Buckets(
                    limits.rpm() == null ? null : bucket(tokenName, "rpm", limits.rpm()),
                    limits.tpm() == null ? null : bucket(tokenName, "tpm", limits.tpm())));
        }
        return found;
    }

    /** {@code <prefix>limits:<token>:<rpm|tpm>:<limit>}: the limit is part of the name, so a new limit is a new bucket. */
    private AsyncBucketProxy bucket(String tokenName, String budget, long perMinute) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, LocalRateLimiter.WINDOW))
                .build();
        return buckets.builder().build(store.key("limits:" + tokenName + ":" + budget + ":" + perMinute), configuration);
    }

    @Override
    public CompletionStage<Decision> acquire(String tokenName, Limits limits) {
        if (!limits.isLimited()) {
            return Decision.UNLIMITED_NOW;
        }
        if (!store.isUp()) {
            return fallback(tokenName, limits);
        }
        CompletableFuture<Decision> decided = new CompletableFuture<>();
        store.execute(() -> decide(tokenName, limits).whenComplete((decision, error) -> decided.complete(decision)),
                () -> fallback(tokenName, limits).whenComplete((decision, error) -> {
                    if (error == null) {
                        decided.complete(decision);
                    } else {
                        decided.completeExceptionally(error);
                    }
                }));
        return decided.thenCompose(decision -> decision != null ? CompletableFuture.completedFuture(decision)
                : fallback(tokenName, limits));
    }

    /** Asks Redis (on a Lettuce thread); completes with null when Redis failed, after telling the store. */
    private CompletableFuture<Decision> decide(String tokenName, Limits limits) {
        Buckets bucket = buckets(tokenName, limits);
        CompletableFuture<Long> tokensLeft;
        try {
            tokensLeft = bucket.tokens() == null ? CompletableFuture.completedFuture(null) : bucket.tokens().getAvailableTokens();
        } catch (RuntimeException e) {
            store.failed(e);
            return CompletableFuture.completedFuture(null);
        }
        return tokensLeft.thenCompose(tokens -> {
            if (tokens != null && tokens <= 0) {
                // Tokens are counted after the fact, so the bucket may be in debt: wait until it is back to 1.
                long waitNanos = (1 - tokens) * LocalRateLimiter.WINDOW.toNanos() / limits.tpm();
                return CompletableFuture.completedFuture(Decision.refused(budgets(limits, null, tokens),
                        Decision.Budget.TOKENS, waitNanos));
            }
            if (bucket.requests() == null) {
                return CompletableFuture.completedFuture(new Decision(true, budgets(limits, null, tokens), 0, null));
            }
            return bucket.requests().tryConsumeAndReturnRemaining(1).thenApply(probe -> probe.isConsumed()
                    ? new Decision(true, budgets(limits, probe, tokens), 0, null)
                    : Decision.refused(budgets(limits, probe, tokens), Decision.Budget.REQUESTS,
                            probe.getNanosToWaitForRefill()));
        }).handle((decision, error) -> {
            if (error == null) {
                store.succeeded();
                return decision;
            }
            store.failed(error);
            return null;
        });
    }

    private CompletableFuture<Decision> failed(String tokenName, Limits limits, Throwable error) {
        store.failed(error);
        return fallback(tokenName, limits);
    }

    /** Decides without Redis: alone, or by refusing. */
    private CompletableFuture<Decision> fallback(String tokenName, Limits limits) {
        metrics.fallback(USE);
        if (store.onFailure() == RedisConfig.OnFailure.REJECT) {
            return CompletableFuture.failedFuture(StoreUnavailable.INSTANCE);
        }
        return CompletableFuture.completedFuture(local.decide(tokenName, limits));
    }

    /** Where each limited budget stands; {@code probe} is null when the request bucket was not asked. */
    private static List<Decision.BudgetState> budgets(Limits limits, ConsumptionProbe probe, Long tokens) {
        List<Decision.BudgetState> budgets = new ArrayList<>(2);
        if (limits.rpm() != null && probe != null) {
            budgets.add(Decision.BudgetState.of(Decision.Budget.REQUESTS, limits.rpm(), probe.getRemainingTokens()));
        }
        if (limits.tpm() != null && tokens != null) {
            budgets.add(Decision.BudgetState.of(Decision.Budget.TOKENS, limits.tpm(), tokens));
        }
        return budgets;
    }

    @Override
    public void recordTokens(String tokenName, Limits limits, long tokens) {
        if (limits.tpm() == null || tokens <= 0) {
            return;
        }
        if (!store.isUp()) {
            metrics.fallback(USE);
            local.recordTokens(tokenName, limits, tokens);
            return;
        }
        Runnable alone = () -> {
            metrics.fallback(USE);
            local.recordTokens(tokenName, limits, tokens);
        };
        store.execute(() -> {
            CompletableFuture<Long> recorded;
            try {
                recorded = buckets(tokenName, limits).tokens().consumeIgnoringRateLimits(tokens);
            } catch (RuntimeException e) {
                recorded = CompletableFuture.failedFuture(e);
            }
            recorded.whenComplete((debt, error) -> {
                if (error == null) {
                    store.succeeded();
                } else {
                    store.failed(error);
                    alone.run();
                }
            });
        }, alone);
    }
}
