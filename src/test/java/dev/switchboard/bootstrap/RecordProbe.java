package dev.switchboard.bootstrap;

/**
 * A record with a component of its own loader's type, as {@code limits.Quota} has; a top-level class
 * so that {@code toString}'s simple name needs no enclosing class from another loader
 * (RecordMethodCachesTest).
 */
public record RecordProbe(String name, Kind kind) {
    public enum Kind {
        ONE
    }
}
