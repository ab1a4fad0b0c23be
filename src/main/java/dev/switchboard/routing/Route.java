package dev.switchboard.routing;

import java.util.List;

/**
 * What a requested model name resolved to: the targets in the order they are to be tried.
 * Immutable.
 */
public record Route(String requested, List<Target> targets) {
    public Route {
        targets = List.copyOf(targets);
    }
}
