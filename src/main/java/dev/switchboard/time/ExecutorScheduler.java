package dev.switchboard.time;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: one daemon timer thread. Tasks must be short and non-blocking
 * (they cancel upstream calls, enqueue bytes, start attempts). A task that throws anything, an
 * {@link Error} included, is logged and the timer goes on with the next: the thread is never left
 * to die with every other exchange's timeouts on it, and were it to die anyway the executor starts
 * another (docs/hostile-clients.md#every-exchange-ends). Shared; closed on shutdown.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);

    private final ScheduledThreadPoolExecutor executor;

    public ExecutorScheduler() {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "switchboard-timer");
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((dead, e) -> LOG.error("timer thread died; a new one takes over", e));
            return thread;
        });
        // Most timers are cancelled before they fire (a stream that keeps flowing); drop them at once
        // so that thousands of live streams do not leave thousands of dead entries in the queue.
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> future;
        try {
            future = executor.schedule(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    // An Error too: the task's owner ends its own exchange, or the watchdog does.
                    LOG.error("scheduled task failed", e);
                }
            }, delay, unit);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Only after close(): the application is stopping and nothing is left to time out.
            return Cancellable.NONE;
        }
        return () -> future.cancel(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
