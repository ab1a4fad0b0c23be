package dev.switchboard.provider;

/** Handle on one started attempt. */
@FunctionalInterface
public interface Attempt {
    Attempt NONE = () -> { };

    /** Stops the attempt and releases its upstream request; idempotent, any thread, no callback follows. */
    void cancel();
}
