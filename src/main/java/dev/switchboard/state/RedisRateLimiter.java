package dev.switchboard.state;

import dev.switchboard.config.RedisConfig;
import dev.switchboard.limits.Decision;
import dev.switchboard.limits.Limits;
import dev.switchboard.limits.LocalRateLimiter;
import dev.switchboard.limits.RateLimiter;
import dev.switchboard.telemetry.GatewayMetrics;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@link RateLimiter} whose buckets live in Redis, so that every node counts against one budget
 * per token (docs/operations.md#running-several-nodes). The buckets are {@link LocalRateLimiter}'s
 * (a bucket of the per-minute size, refilled smoothly over the minute, the token bucket counted
 * after the fact and allowed into debt), kept in Redis and changed by two small Lua scripts, each
 * one atomic command on Redis's clock: {@code acquire.lua} decides a request against both of a
 * token's buckets, {@code record.lua} counts the tokens it used. So a request costs two commands,
 * and requests of one token never race each other.
 *
 * <p>(Bucket4j's Lettuce backend, tried first, keeps the same buckets with a read and a
 * compare-and-swap per bucket: five commands per request, and at 32 concurrent requests of one
 * token most swaps lost the race and were retried; bench/README.md has the figures.)
 *
 * <p>While Redis does not answer the node decides alone with its {@link LocalRateLimiter}
 * ({@code onFailure} {@code local}), or refuses requests of limited tokens ({@code reject});
 * either way the client never waits longer than the command timeout. Shared; thread-safe.
 */
public final class RedisRateLimiter implements RateLimiter {
    /** Buckets whose tokens are all back are dropped from Redis after this much more. */
    static final long KEEP_FULL_MILLIS = 10_000;
    static final String USE = "limits";
    private static final byte[] NONE = {'0'};
    private static final byte[] WINDOW = ascii(LocalRateLimiter.WINDOW.toMillis());
    private static final byte[] KEEP = ascii(KEEP_FULL_MILLIS);

    private final RedisStore store;
    private final LocalRateLimiter local;
    private final GatewayMetrics.StoreMetrics metrics;
    private final Script acquire = Script.load("acquire.lua");
    private final Script record = Script.load("record.lua");

    public RedisRateLimiter(RedisStore store, LocalRateLimiter local, GatewayMetrics.StoreMetrics metrics) {
        this.store = store;
        this.local = local;
        this.metrics = metrics;
    }

    /** {@code <prefix>limits:<token>:<rpm|tpm>:<limit>}: the limit is part of the name, so a new limit is a new bucket. */
    private String key(String tokenName, String budget, Long perMinute) {
        return perMinute == null ? store.key("limits:" + tokenName + ":" + budget)
                : store.key("limits:" + tokenName + ":" + budget + ":" + perMinute);
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
                () -> decided.complete(null));
        return decided.thenCompose(decision -> decision != null ? CompletableFuture.completedFuture(decision)
                : fallback(tokenName, limits));
    }

    /** Asks Redis (on a Lettuce thread); completes with null when Redis failed, after telling the store. */
    private CompletionStage<Decision> decide(String tokenName, Limits limits) {
        String[] keys = {key(tokenName, "rpm", limits.rpm()), key(tokenName, "tpm", limits.tpm())};
        byte[][] args = {limits.rpm() == null ? NONE : ascii(limits.rpm()), limits.tpm() == null ? NONE : ascii(limits.tpm()),
                WINDOW, KEEP};
        return acquire.<List<Object>>run(store, ScriptOutputType.MULTI, keys, args).handle((reply, error) -> {
            if (error != null) {
                store.failed(error);
                return null;
            }
            store.succeeded();
            return decision(limits, reply);
        });
    }

    /** The script's reply: {admitted, exhausted (0, 1 requests, 2 tokens), requests left, tokens left, ms to wait}. */
    private static Decision decision(Limits limits, List<Object> reply) {
        long requestsLeft = (Long) reply.get(2);
        long tokensLeft = (Long) reply.get(3);
        List<Decision.BudgetState> budgets = new ArrayList<>(2);
        if (limits.rpm() != null) {
            budgets.add(Decision.BudgetState.of(Decision.Budget.REQUESTS, limits.rpm(), requestsLeft));
        }
        if (limits.tpm() != null) {
            budgets.add(Decision.BudgetState.of(Decision.Budget.TOKENS, limits.tpm(), tokensLeft));
        }
        if ((Long) reply.get(0) == 1) {
            return new Decision(true, budgets, 0, null);
        }
        Decision.Budget exhausted = (Long) reply.get(1) == 2 ? Decision.Budget.TOKENS : Decision.Budget.REQUESTS;
        return Decision.refused(budgets, exhausted, TimeUnit.MILLISECONDS.toNanos((Long) reply.get(4)));
    }

    /** Decides without Redis: alone, or by refusing. */
    private CompletableFuture<Decision> fallback(String tokenName, Limits limits) {
        metrics.fallback(USE);
        if (store.onFailure() == RedisConfig.OnFailure.REJECT) {
            return CompletableFuture.failedFuture(StoreUnavailable.INSTANCE);
        }
        return CompletableFuture.completedFuture(local.decide(tokenName, limits));
    }

    @Override
    public void recordTokens(String tokenName, Limits limits, long tokens) {
        if (limits.tpm() == null || tokens <= 0) {
            return;
        }
        Runnable alone = () -> {
            metrics.fallback(USE);
            local.recordTokens(tokenName, limits, tokens);
        };
        if (!store.isUp()) {
            alone.run();
            return;
        }
        store.execute(() -> record.<Long>run(store, ScriptOutputType.INTEGER, new String[] {key(tokenName, "tpm", limits.tpm())},
                new byte[][] {ascii(limits.tpm()), ascii(tokens), WINDOW, KEEP}).whenComplete((left, error) -> {
                    if (error == null) {
                        store.succeeded();
                    } else {
                        store.failed(error);
                        alone.run();
                    }
                }), alone);
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
