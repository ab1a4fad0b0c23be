package dev.switchboard.state;

import dev.switchboard.config.RedisConfig;
import dev.switchboard.telemetry.GatewayMetrics;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whole-number counters every node of a fleet sees, in Redis (docs/operations.md#keys-and-sizing):
 * read together in one command ({@code MGET}), added to atomically ({@code counter-add.lua}:
 * {@code INCRBY} on those that exist), and seeded when missing ({@code counter-seed.lua}:
 * {@code SET NX} with an expiry). A counter that is missing (never seeded, expired, or lost with
 * a Redis that keeps nothing on disk) is not created by an addition: its owner seeds it from
 * where the truth is kept (the database, for spend). Every call runs on Lettuce's thread and
 * returns at once; none blocks its caller. Shared; thread-safe.
 */
public final class SharedCounters {
    /** What a counter reads when it is missing. */
    public static final long MISSING = -1;

    private final RedisStore store;
    private final GatewayMetrics.StoreMetrics metrics;
    private final String use;
    private final Script add = Script.load("counter-add.lua");
    private final Script seed = Script.load("counter-seed.lua");

    /** @param use what the counters are for, the label of {@code switchboard_redis_fallbacks_total} */
    public SharedCounters(RedisStore store, GatewayMetrics.StoreMetrics metrics, String use) {
        this.store = store;
        this.metrics = metrics;
        this.use = use;
    }

    /** Whether Redis answered the latest call; while it did not, callers decide without it. */
    public boolean isUp() {
        return store.isUp();
    }

    /** What callers do while Redis does not answer. */
    public RedisConfig.OnFailure onFailure() {
        return store.onFailure();
    }

    /** Counts one decision or update made without Redis. */
    public void fellBack() {
        metrics.fallback(use);
    }

    /**
     * The value of each counter, {@link #MISSING} for one that is not there. Completes on a
     * Lettuce thread, within the store's timeout; fails when Redis does not answer (after telling
     * the store, which logs the outage once).
     */
    public CompletionStage<long[]> read(List<String> names) {
        String[] keys = keys(names);
        CompletableFuture<long[]> values = new CompletableFuture<>();
        store.execute(() -> {
            CompletionStage<List<KeyValue<String, byte[]>>> reply;
            try {
                reply = store.commands().mget(keys);
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((found, error) -> {
                if (error != null) {
                    store.failed(error);
                    values.completeExceptionally(StoreUnavailable.INSTANCE);
                    return;
                }
                store.succeeded();
                long[] read = new long[keys.length];
                try {
                    for (int i = 0; i < read.length; i++) {
                        KeyValue<String, byte[]> value = found.get(i);
                        read[i] = value.hasValue()
                                ? Long.parseLong(new String(value.getValue(), StandardCharsets.US_ASCII)) : MISSING;
                    }
                } catch (RuntimeException e) {
                    // A key under our prefix that is not a whole number: fail the read, never leave it pending.
                    values.completeExceptionally(e);
                    return;
                }
                values.complete(read);
            });
        }, () -> values.completeExceptionally(StoreUnavailable.INSTANCE));
        return values;
    }

    /**
     * Adds {@code amount} to each of the counters that exist, atomically. Completes with how many
     * were added to, or fails when Redis does not answer.
     */
    public CompletionStage<Long> add(List<String> names, long amount) {
        return run(add, keys(names), ascii(amount));
    }

    /**
     * Sets a missing counter to {@code value}, to expire at {@code expireAt} (null: never); leaves
     * one that exists alone. Completes with whether it set it, or fails when Redis does not answer.
     */
    public CompletionStage<Boolean> seed(String name, long value, Instant expireAt) {
        return run(seed, new String[] {store.key(name)}, ascii(value),
                ascii(expireAt == null ? 0 : expireAt.getEpochSecond())).thenApply(set -> set == 1);
    }

    private CompletionStage<Long> run(Script script, String[] keys, byte[]... args) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        store.execute(() -> script.<Long>run(store, ScriptOutputType.INTEGER, keys, args).whenComplete((result, error) -> {
            if (error != null) {
                store.failed(error);
                done.completeExceptionally(StoreUnavailable.INSTANCE);
            } else {
                store.succeeded();
                done.complete(result);
            }
        }), () -> done.completeExceptionally(StoreUnavailable.INSTANCE));
        return done;
    }

    private String[] keys(List<String> names) {
        String[] keys = new String[names.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = store.key(names.get(i));
        }
        return keys;
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
