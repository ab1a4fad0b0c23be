package dev.switchboard.state;

import dev.switchboard.routing.CooldownState;
import dev.switchboard.routing.Cooldowns;
import dev.switchboard.routing.LocalCooldowns;
import dev.switchboard.routing.Target;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.time.Scheduler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link Cooldowns} shared by the nodes of a fleet (docs/operations.md#running-several-nodes).
 * Routing reads only this node's {@link LocalCooldowns}, so it never waits on Redis; every change
 * this node makes (a cooldown opened, a trial taken, a cooldown closed by a success) is written to
 * one Redis hash, {@code <prefix>cooldowns}, field {@code model@provider}, and every
 * {@link #POLL_MILLIS} the node reads the hash and takes each change newer than what it knows.
 * So a target that failed on one node is kept behind the others on every node within a second,
 * and a success anywhere closes it everywhere. Failures in a row are counted per node.
 *
 * <p>While Redis does not answer, the node's own state goes on alone; changes it could not write
 * are written when Redis answers again, unless another node's are newer. Shared; thread-safe.
 */
public final class RedisCooldowns implements Cooldowns, AutoCloseable {
    /** How often the shared state is read: a change on one node reaches the others within this and a round trip. */
    static final long POLL_MILLIS = 250;
    /** The hash outlives the last write by this much, so a retired gateway's state goes away. */
    static final long KEEP_MILLIS = TimeUnit.DAYS.toMillis(1);
    static final String USE = "cooldowns";

    private final RedisStore store;
    private final Scheduler scheduler;
    private final GatewayMetrics.StoreMetrics metrics;
    private final LocalCooldowns local;
    private final String hash;
    /** Changes not written yet (Redis did not answer), by target. Bounded by the number of targets. */
    private final ConcurrentMap<String, CooldownState> unwritten = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile Scheduler.Cancellable nextPoll = Scheduler.Cancellable.NONE;

    public RedisCooldowns(RedisStore store, Scheduler scheduler, Clock clock, GatewayMetrics.StoreMetrics metrics) {
        this.store = store;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.local = new LocalCooldowns(clock, this::write);
        this.hash = store.key("cooldowns");
        schedulePoll(0);
    }

    @Override
    public Standing acquire(Target target) {
        return local.acquire(target);
    }

    @Override
    public void onSuccess(Target target) {
        local.onSuccess(target);
    }

    @Override
    public void onFailure(Target target) {
        local.onFailure(target);
    }

    @Override
    public void release(Target target) {
        local.release(target);
    }

    @Override
    public boolean isCoolingDown(Target target) {
        return local.isCoolingDown(target);
    }

    @Override
    public long cooledSince(Target target) {
        return local.cooledSince(target);
    }

    /** A change this node made: written at once (from a Lettuce thread), without waiting for the answer. */
    private void write(String key, CooldownState state) {
        if (!store.isUp()) {
            metrics.fallback(USE);
            unwritten.put(key, state);
            return;
        }
        store.execute(() -> send(key, state), () -> unwritten.put(key, state));
    }

    private void send(String key, CooldownState state) {
        try {
            var commands = store.commands();
            commands.hset(hash, key, state.encode().getBytes(StandardCharsets.US_ASCII));
            commands.pexpire(hash, KEEP_MILLIS).whenComplete((set, error) -> {
                if (error == null) {
                    store.succeeded();
                } else {
                    failed(key, state, error);
                }
            });
        } catch (RuntimeException e) {
            failed(key, state, e);
        }
    }

    private void failed(String key, CooldownState state, Throwable error) {
        store.failed(error);
        metrics.fallback(USE);
        unwritten.put(key, state);
    }

    /** Reads the shared hash and takes what is newer; then writes what this node could not write before. */
    private void poll() {
        if (closed) {
            return;
        }
        if (!store.isUp()) {
            schedulePoll(POLL_MILLIS);
            return;
        }
        try {
            store.commands().hgetall(hash).whenComplete((entries, error) -> {
                if (error == null) {
                    store.succeeded();
                    take(entries);
                } else {
                    store.failed(error);
                }
                schedulePoll(POLL_MILLIS);
            });
        } catch (RuntimeException e) {
            store.failed(e);
            schedulePoll(POLL_MILLIS);
        }
    }

    private void take(Map<String, byte[]> entries) {
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            CooldownState state = CooldownState.decode(new String(entry.getValue(), StandardCharsets.US_ASCII));
            if (state != null) {
                local.apply(entry.getKey(), state);
            }
        }
        for (String key : unwritten.keySet()) {
            CooldownState pending = unwritten.remove(key);
            if (pending != null && local.state(key).changedAtMillis() <= pending.changedAtMillis()) {
                send(key, pending);
            }
        }
    }

    /** The timer wakes the poll, which runs on a Lettuce thread, as every command does. */
    private void schedulePoll(long delayMillis) {
        if (!closed) {
            nextPoll = scheduler.schedule(() -> store.execute(this::poll, () -> { }), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops reading; the store itself is closed by whoever opened it. */
    @Override
    public void close() {
        closed = true;
        nextPoll.cancel();
    }
}
