package dev.switchboard.telemetry;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the Prometheus client's exemplar sampler thread, {@code prometheus-metrics-scheduler-*}
 * (docs/operations.md#tracing). The sampler schedules the end of each sampling pause on a
 * single-thread executor held in a static field of {@code io.prometheus.metrics.core.util.Scheduler},
 * which the library never shuts down and offers no way to; its daemon thread would keep the
 * undeployed application's class loader. The executor is shut down by reflection, and only when
 * that class is the WAR's own copy: one loaded by the container for every application is not
 * Switchboard's to stop. Stateless.
 */
final class ExemplarScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ExemplarScheduler.class);

    static final String SCHEDULER_CLASS = "io.prometheus.metrics.core.util.Scheduler";
    static final String EXECUTOR_FIELD = "executor";
    /** How long the stop waits for the thread to end, so that the container's leak check finds it gone. */
    static final long AWAIT_MILLIS = 1_000;

    private ExemplarScheduler() {
    }

    /** Shuts the sampler's executor down and waits for its thread to end; true once it has. */
    static boolean stop() {
        ClassLoader own = ExemplarScheduler.class.getClassLoader();
        try {
            Class<?> scheduler = Class.forName(SCHEDULER_CLASS, false, own);
            if (scheduler.getClassLoader() != own) {
                LOG.info("the Prometheus client is the container's, not the application's: its exemplar thread is left running");
                return false;
            }
            Field field = scheduler.getDeclaredField(EXECUTOR_FIELD);
            field.setAccessible(true);
            ExecutorService executor = (ExecutorService) field.get(null);
            // Its one thread, named by a last task, so that the stop can wait for the thread itself
            // to end: the executor reports termination while the thread is still on its way out.
            AtomicReference<Thread> worker = new AtomicReference<>();
            executor.submit(() -> worker.set(Thread.currentThread())).get(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
            executor.shutdownNow();
            worker.get().join(AWAIT_MILLIS);
            boolean ended = !worker.get().isAlive();
            if (!ended) {
                LOG.warn("the Prometheus exemplar thread did not end within {} ms", AWAIT_MILLIS);
            }
            return ended;
        } catch (ReflectiveOperationException | ExecutionException | TimeoutException | RuntimeException e) {
            // Another version of the client keeps its scheduler elsewhere: the thread outlives the application.
            LOG.warn("the Prometheus exemplar thread could not be stopped and outlives the application: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
