package dev.switchboard.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The timer outlives the tasks that fail on it, errors included. */
class ExecutorSchedulerTest {
    @Test
    void tasksAfterOnesThatThrowErrorsStillRun() throws Exception {
        try (ExecutorScheduler scheduler = new ExecutorScheduler()) {
            CountDownLatch ran = new CountDownLatch(3);
            scheduler.schedule(() -> {
                throw new StackOverflowError("injected");
            }, 0, TimeUnit.MILLISECONDS);
            scheduler.schedule(ran::countDown, 5, TimeUnit.MILLISECONDS);
            scheduler.schedule(() -> {
                throw new OutOfMemoryError("injected");
            }, 10, TimeUnit.MILLISECONDS);
            scheduler.schedule(ran::countDown, 15, TimeUnit.MILLISECONDS);
            scheduler.schedule(() -> {
                throw new IllegalStateException("injected");
            }, 20, TimeUnit.MILLISECONDS);
            scheduler.schedule(ran::countDown, 25, TimeUnit.MILLISECONDS);

            assertThat(ran.await(5, TimeUnit.SECONDS)).as("every task after a failed one ran").isTrue();
        }
    }
}
