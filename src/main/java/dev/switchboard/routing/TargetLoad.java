package dev.switchboard.routing;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * What the {@code least-busy} and {@code least-latency} strategies pick by
 * (docs/routing.md#aliases): each target's attempts in flight on this node, and an exponentially
 * weighted moving average of how long it took to answer (its response head for a stream, its
 * whole reply otherwise). Per node by nature: each node balances its own load. Shared by all
 * requests; thread-safe.
 */
final class TargetLoad {
    /** The weight of the newest sample in the moving average: about the last ten answers count. */
    static final double LATENCY_WEIGHT = 0.2;
    /** The share of least-latency picks made at random, so that a target that got faster is noticed. */
    static final double EXPLORATION = 0.05;
    /** Targets kept at most; only reloads that keep renaming models come near it. */
    static final int MAX_TARGETS = 10_000;

    private final ConcurrentMap<String, Stats> stats = new ConcurrentHashMap<>();

    private static final class Stats {
        final AtomicInteger inFlight = new AtomicInteger();
        /** Nanoseconds; negative until the first answer. Guarded by this. */
        double latency = -1;
    }

    private Stats stats(Target target) {
        Stats found = stats.get(target.key());
        if (found == null) {
            if (stats.size() >= MAX_TARGETS) {
                stats.clear();
            }
            found = stats.computeIfAbsent(target.key(), key -> new Stats());
        }
        return found;
    }

    void started(Target target) {
        stats(target).inFlight.incrementAndGet();
    }

    void ended(Target target) {
        stats(target).inFlight.decrementAndGet();
    }

    /** The target answered after {@code nanos}. */
    void answered(Target target, long nanos) {
        Stats s = stats(target);
        synchronized (s) {
            s.latency = s.latency < 0 ? nanos : s.latency + LATENCY_WEIGHT * (nanos - s.latency);
        }
    }

    int inFlight(Target target) {
        return stats(target).inFlight.get();
    }

    /** The moving average in nanoseconds, or a negative number before the first answer. */
    double latency(Target target) {
        Stats s = stats(target);
        synchronized (s) {
            return s.latency;
        }
    }

    /** The index of the target with the fewest attempts in flight; ties go to the first listed. */
    int leastBusy(List<Target> targets) {
        int best = 0;
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < targets.size(); i++) {
            int count = inFlight(targets.get(i));
            if (count < fewest) {
                fewest = count;
                best = i;
            }
        }
        return best;
    }

    /**
     * The index of the target that answered fastest lately; a target not measured yet comes
     * first, and now and then ({@link #EXPLORATION}) one is picked at random.
     */
    int leastLatency(List<Target> targets, RandomGenerator random) {
        if (random.nextDouble() < EXPLORATION) {
            return random.nextInt(targets.size());
        }
        int best = 0;
        double fastest = Double.MAX_VALUE;
        for (int i = 0; i < targets.size(); i++) {
            double latency = latency(targets.get(i));
            if (latency < 0) {
                return i;
            }
            if (latency < fastest) {
                fastest = latency;
                best = i;
            }
        }
        return best;
    }
}
