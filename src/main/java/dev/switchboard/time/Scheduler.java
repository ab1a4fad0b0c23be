package dev.switchboard.time;

import java.util.concurrent.TimeUnit;

/**
 * Delayed tasks and a monotonic clock: what timeouts, keep-alives and retry backoff need. Waiting
 * is always a scheduled task, never a sleeping thread. Tests substitute a manual clock.
 */
public interface Scheduler {
    /** Runs {@code task} once after {@code delay}; the handle cancels it. Thread-safe. */
    Cancellable schedule(Runnable task, long delay, TimeUnit unit);

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        Cancellable NONE = () -> { };

        void cancel();
    }
}
