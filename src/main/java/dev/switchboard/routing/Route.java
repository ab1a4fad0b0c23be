package dev.switchboard.routing;

import dev.switchboard.config.AliasConfig.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * What a requested model name resolved to: its targets, and how the first one to try is picked.
 * Shared by every request for that name; its only mutable state is the round-robin turn, which is
 * per node by nature (each node spreading its own requests evenly spreads them all), as is the
 * load the least-busy and least-latency strategies read.
 */
public final class Route {
    private final String requested;
    private final Strategy strategy;
    private final List<Target> targets;
    private final int[] weights;
    private final int totalWeight;
    private final AtomicLong turn = new AtomicLong();

    public Route(String requested, Strategy strategy, List<Target> targets, int[] weights) {
        if (targets.isEmpty() || weights.length != targets.size()) {
            throw new IllegalArgumentException("a route needs targets, each with a weight");
        }
        this.requested = requested;
        this.strategy = strategy;
        this.targets = List.copyOf(targets);
        this.weights = weights.clone();
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        this.totalWeight = total;
    }

    /** A single model: one target, nothing to pick. */
    public static Route single(String requested, Target target) {
        return new Route(requested, Strategy.FALLBACK, List.of(target), new int[] {1});
    }

    public String requested() {
        return requested;
    }

    public List<Target> targets() {
        return targets;
    }

    /**
     * The targets in the order to try them for one request: the strategy picks the first, and the
     * others follow in their listed order as fallbacks.
     */
    List<Target> order(RandomGenerator random, TargetLoad load) {
        int first = targets.size() == 1 ? 0 : switch (strategy) {
            case FALLBACK -> 0;
            case ROUND_ROBIN -> (int) Math.floorMod(turn.getAndIncrement(), (long) targets.size());
            case WEIGHTED -> weightedPick(random.nextInt(totalWeight));
            case LEAST_BUSY -> load.leastBusy(targets);
            case LEAST_LATENCY -> load.leastLatency(targets, random);
        };
        if (first == 0) {
            return targets;
        }
        List<Target> ordered = new ArrayList<>(targets.size());
        ordered.add(targets.get(first));
        for (int i = 0; i < targets.size(); i++) {
            if (i != first) {
                ordered.add(targets.get(i));
            }
        }
        return ordered;
    }

    /** The index whose cumulative weight range holds {@code ticket} (0 ≤ ticket < total weight). */
    private int weightedPick(int ticket) {
        int cumulative = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            if (ticket < cumulative) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
