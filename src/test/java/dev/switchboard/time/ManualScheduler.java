package dev.switchboard.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} whose clock only moves when the test says so: tasks run, in order, from
 * {@link #advance}. Also offers the same clock as a {@link Clock} for libraries that take one.
 */
public final class ManualScheduler implements Scheduler {
    private long nanos;
    private long sequence;
    private final List<Task> tasks = new ArrayList<>();

    private static final class Task {
        final long due;
        final long order;
        final Runnable runnable;
        boolean cancelled;

        Task(long due, long order, Runnable runnable) {
            this.due = due;
            this.order = order;
            this.runnable = runnable;
        }
    }

    @Override
    public synchronized Cancellable schedule(Runnable runnable, long delay, TimeUnit unit) {
        Task task = new Task(nanos + unit.toNanos(delay), sequence++, runnable);
        tasks.add(task);
        return () -> task.cancelled = true;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    /** Moves the clock forward, running every task that falls due, in due order. */
    public void advance(long amount, TimeUnit unit) {
        long target;
        synchronized (this) {
            target = nanos + unit.toNanos(amount);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(task -> !task.cancelled && task.due <= target)
                        .min(Comparator.<Task>comparingLong(task -> task.due).thenComparingLong(task -> task.order))
                        .orElse(null);
                if (next == null) {
                    nanos = target;
                    return;
                }
                tasks.remove(next);
                nanos = Math.max(nanos, next.due);
            }
            next.runnable.run();
        }
    }

    /** Delays of the tasks still waiting, from now, in milliseconds. */
    public synchronized List<Long> pendingDelaysMillis() {
        return tasks.stream().filter(task -> !task.cancelled)
                .map(task -> TimeUnit.NANOSECONDS.toMillis(task.due - nanos)).sorted().toList();
    }

    /** The same time as a wall clock starting at the epoch. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochSecond(0, nanoTime());
            }
        };
    }
}
