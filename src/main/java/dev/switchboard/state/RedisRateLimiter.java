package dev.switchboard.state;

import dev.switchboard.config.RedisConfig;
import dev.switchboard.limits.Decision;
import dev.switchboard.limits.Limits;
import dev.switchboard.limits.LocalRateLimiter;
import dev.switchboard.limits.Quota;
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
 * per token and one per team (docs/operations.md#running-several-nodes). The buckets are {@link LocalRateLimiter}'s
 * (a bucket of the per-minute size, refilled smoothly over the minute, the token bucket counted
 * after the fact and allowed into debt), kept in Redis and changed by two small Lua scripts, each
 * one atomic command on Redis's clock: {@code acquire.lua} decides a request against both
 * buckets of its token and of its team, {@code record.lua} counts the tokens it used in each. So a
 * request costs two commands, and requests of one token or team never race each other.
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

    /**
     * {@code <prefix>limits:<token>:<rpm|tpm>:<limit>}, {@code <prefix>teamlimits:<team>:...} for a
     * team's: the limit is part of the name, so a new limit is a new bucket.
     */
    private String key(Quota quota, String budget, Long perMinute) {
        String name = (quota.scope() == Quota.Scope.TEAM ? "teamlimits:" : "limits:") + quota.name() + ":" + budget;
        return store.key(perMinute == null ? name : name + ":" + perMinute);
    }

    @Override
    public CompletionStage<Decision> acquire(List<Quota> quotas) {
        List<Quota> limited = RateLimiter.limited(quotas);
        if (limited.isEmpty()) {
            return Decision.UNLIMITED_NOW;
        }
        if (!store.isUp()) {
            return fallback(limited);
        }
        CompletableFuture<Decision> decided = new CompletableFuture<>();
        store.execute(() -> decide(limited).whenComplete((decision, error) -> decided.complete(decision)),
                () -> decided.complete(null));
        return decided.thenCompose(decision -> decision != null ? CompletableFuture.completedFuture(decision)
                : fallback(limited));
    }

    /** Asks Redis (on a Lettuce thread); completes with null when Redis failed, after telling the store. */
    private CompletionStage<Decision> decide(List<Quota> quotas) {
        String[] keys = new String[2 * quotas.size()];
        byte[][] args = new byte[2 + 2 * quotas.size()][];
        args[0] = WINDOW;
        args[1] = KEEP;
        for (int i = 0; i < quotas.size(); i++) {
            Limits limits = quotas.get(i).limits();
            keys[2 * i] = key(quotas.get(i), "rpm", limits.rpm());
            keys[2 * i + 1] = key(quotas.get(i), "tpm", limits.tpm());
            args[2 + 2 * i] = limits.rpm() == null ? NONE : ascii(limits.rpm());
            args[3 + 2 * i] = limits.tpm() == null ? NONE : ascii(limits.tpm());
        }
        return acquire.<List<Object>>run(store, ScriptOutputType.MULTI, keys, args).handle((reply, error) -> {
            if (error != null) {
                store.failed(error);
                return null;
            }
            store.succeeded();
            return decision(quotas, reply);
        });
    }

    /**
     * The script's reply: {admitted, exhausted (0, 1 requests, 2 tokens), exhausted quota (from 1),
     * ms to wait, then requests left and tokens left of each quota}.
     */
    private static Decision decision(List<Quota> quotas, List<Object> reply) {
        List<Decision.BudgetState> budgets = new ArrayList<>(2 * quotas.size());
        for (int i = 0; i < quotas.size(); i++) {
            Limits limits = quotas.get(i).limits();
            if (limits.rpm() != null) {
                budgets.add(Decision.BudgetState.of(Decision.Budget.REQUESTS, limits.rpm(), (Long) reply.get(4 + 2 * i)));
            }
            if (limits.tpm() != null) {
                budgets.add(Decision.BudgetState.of(Decision.Budget.TOKENS, limits.tpm(), (Long) reply.get(5 + 2 * i)));
            }
        }
        if ((Long) reply.get(0) == 1) {
            return Decision.admitted(budgets);
        }
        Decision.Budget exhausted = (Long) reply.get(1) == 2 ? Decision.Budget.TOKENS : Decision.Budget.REQUESTS;
        Quota over = quotas.get((int) (long) (Long) reply.get(2) - 1);
        return Decision.refused(budgets, exhausted, over, TimeUnit.MILLISECONDS.toNanos((Long) reply.get(3)));
    }

    /** Decides without Redis: alone, or by refusing. */
    private CompletableFuture<Decision> fallback(List<Quota> quotas) {
        metrics.fallback(USE);
        if (store.onFailure() == RedisConfig.OnFailure.REJECT) {
            return CompletableFuture.failedFuture(StoreUnavailable.INSTANCE);
        }
        return CompletableFuture.completedFuture(local.decide(quotas));
    }

    @Override
    public void recordTokens(List<Quota> quotas, long tokens) {
        List<Quota> counted = quotas.stream().filter(quota -> quota.limits().tpm() != null).toList();
        if (counted.isEmpty() || tokens <= 0) {
            return;
        }
        Runnable alone = () -> {
            metrics.fallback(USE);
            local.recordTokens(counted, tokens);
        };
        if (!store.isUp()) {
            alone.run();
            return;
        }
        String[] keys = new String[counted.size()];
        byte[][] args = new byte[3 + counted.size()][];
        args[0] = ascii(tokens);
        args[1] = WINDOW;
        args[2] = KEEP;
        for (int i = 0; i < counted.size(); i++) {
            keys[i] = key(counted.get(i), "tpm", counted.get(i).limits().tpm());
            args[3 + i] = ascii(counted.get(i).limits().tpm());
        }
        store.execute(() -> record.<Long>run(store, ScriptOutputType.INTEGER, keys, args).whenComplete((left, error) -> {
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
