package dev.switchboard.routing;

import dev.switchboard.config.CooldownPolicy;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link Cooldowns} in memory, one small state machine per target (docs/routing.md#cooldowns has
 * its table): {@code cooldown.failures} failures in a row open a cooldown for
 * {@code cooldown.periodMs}; after it the first request to reach the target holds its one trial
 * while the others keep it behind their healthy targets; any success closes it, whatever the
 * phase; any failure of an open or trial target starts a new period. The table of the phases is
 * the whole state, so that a store shared by a fleet can carry it ({@link #apply}, {@link Listener}).
 * Shared by all requests of a node; thread-safe.
 */
public final class LocalCooldowns implements Cooldowns {
    /** Targets kept at most: the configured ones and, from a shared store, other nodes' (bounded all the same). */
    static final int MAX_TARGETS = 10_000;

    /** Hears every change this node makes, to share it. Called outside any lock; must not block. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (key, state) -> { };

        void changed(String key, CooldownState state);
    }

    private final Clock clock;
    private final Listener listener;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    public LocalCooldowns(Clock clock) {
        this(clock, Listener.NONE);
    }

    public LocalCooldowns(Clock clock, Listener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    /** One target's phase; guarded by itself. */
    private static final class Entry {
        CooldownState.Phase phase = CooldownState.Phase.CLOSED;
        int failures;
        long openedAt;
        long changedAt;

        CooldownState state() {
            return new CooldownState(phase, openedAt, changedAt);
        }
    }

    private Entry entry(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            if (entries.size() >= MAX_TARGETS) {
                // Only a store full of foreign keys gets here; forget them rather than grow.
                entries.clear();
            }
            entry = entries.computeIfAbsent(key, k -> new Entry());
        }
        return entry;
    }

    @Override
    public Standing acquire(Target target) {
        Entry entry = entry(target.key());
        CooldownState changed;
        synchronized (entry) {
            if (entry.phase == CooldownState.Phase.CLOSED) {
                return Standing.HEALTHY;
            }
            long now = clock.millis();
            long period = target.provider().cooldown().periodMs();
            // A trial that never reported (its node died) lapses after a period, like a cooldown.
            long since = entry.phase == CooldownState.Phase.OPEN ? entry.openedAt : entry.changedAt;
            if (now - since <= period) {
                return Standing.COOLING;
            }
            entry.phase = CooldownState.Phase.TRIAL;
            entry.changedAt = now;
            changed = entry.state();
        }
        listener.changed(target.key(), changed);
        return Standing.TRIAL;
    }

    @Override
    public void onSuccess(Target target) {
        Entry entry = entry(target.key());
        CooldownState changed;
        synchronized (entry) {
            entry.failures = 0;
            if (entry.phase == CooldownState.Phase.CLOSED) {
                return;
            }
            entry.phase = CooldownState.Phase.CLOSED;
            entry.changedAt = clock.millis();
            changed = entry.state();
        }
        listener.changed(target.key(), changed);
    }

    @Override
    public void onFailure(Target target) {
        Entry entry = entry(target.key());
        CooldownPolicy policy = target.provider().cooldown();
        CooldownState changed;
        synchronized (entry) {
            if (entry.phase == CooldownState.Phase.CLOSED && ++entry.failures < policy.failures()) {
                return;
            }
            long now = clock.millis();
            entry.phase = CooldownState.Phase.OPEN;
            entry.failures = 0;
            entry.openedAt = now;
            entry.changedAt = now;
            changed = entry.state();
        }
        listener.changed(target.key(), changed);
    }

    @Override
    public void release(Target target) {
        Entry entry = entry(target.key());
        CooldownState changed;
        synchronized (entry) {
            if (entry.phase != CooldownState.Phase.TRIAL) {
                return;
            }
            // Open again since the same moment: its period is over, so the next request takes the trial.
            entry.phase = CooldownState.Phase.OPEN;
            entry.changedAt = clock.millis();
            changed = entry.state();
        }
        listener.changed(target.key(), changed);
    }

    @Override
    public boolean isCoolingDown(Target target) {
        Entry entry = entry(target.key());
        synchronized (entry) {
            if (entry.phase == CooldownState.Phase.CLOSED) {
                return false;
            }
            long since = entry.phase == CooldownState.Phase.OPEN ? entry.openedAt : entry.changedAt;
            return clock.millis() - since <= target.provider().cooldown().periodMs();
        }
    }

    @Override
    public long cooledSince(Target target) {
        Entry entry = entry(target.key());
        synchronized (entry) {
            return entry.phase == CooldownState.Phase.CLOSED ? Long.MAX_VALUE : entry.openedAt;
        }
    }

    /**
     * Takes a change another node made, when it is newer than what this node knows of the target;
     * the listener does not hear it (it came from the store).
     */
    public void apply(String key, CooldownState state) {
        Entry entry = entry(key);
        synchronized (entry) {
            if (state.changedAtMillis() <= entry.changedAt) {
                return;
            }
            entry.phase = state.phase();
            entry.openedAt = state.openedAtMillis();
            entry.changedAt = state.changedAtMillis();
            entry.failures = 0;
        }
    }

    /** What this node knows of the target, for tests and the shared store. */
    public CooldownState state(String key) {
        Entry entry = entry(key);
        synchronized (entry) {
            return entry.state();
        }
    }
}
