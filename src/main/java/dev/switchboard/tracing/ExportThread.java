package dev.switchboard.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs an exporter's exports on one thread of Switchboard's own, {@value #THREAD_NAME}, whose end
 * {@link #shutdown} waits for (docs/operations.md#tracing). The OTLP exporter leaves a thread-local
 * protobuf encoder on whichever thread marshals (its resource and scope are encoded once, on the
 * first export); on the batch span processor's own thread it would still be there when the
 * container looks for leaks, as that thread is still on its way out when the SDK's shutdown
 * returns. Shared: one per exporter.
 */
final class ExportThread implements SpanExporter {
    static final String THREAD_NAME = "switchboard-otlp";
    /** How long {@link #shutdown} waits for the thread to end once the exporter has stopped. */
    static final long SHUTDOWN_MILLIS = 1_000;
    /**
     * Batches that may wait behind the one being exported. The processor waits for each export, but
     * only up to its own export timeout: were that shorter than the exporter's, every batch it gave
     * up on would otherwise pile up here behind a stuck collector; past this one, an export fails at once.
     */
    static final int QUEUED_BATCHES = 1;

    private final SpanExporter exporter;
    /** The executor's threads: one, or its replacement after an export threw. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** Started at the first export. */
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUED_BATCHES), runnable -> {
                Thread thread = new Thread(runnable, THREAD_NAME);
                thread.setDaemon(true);
                threads.add(thread);
                return thread;
            });

    ExportThread(SpanExporter exporter) {
        this.exporter = exporter;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = new CompletableResultCode();
        try {
            executor.execute(() -> {
                CompletableResultCode exported;
                try {
                    exported = exporter.export(spans);
                } catch (RuntimeException e) {
                    result.failExceptionally(e);
                    return;
                }
                exported.whenComplete(() -> {
                    if (exported.isSuccess()) {
                        result.succeed();
                    } else {
                        result.fail();
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            result.failExceptionally(e);
        }
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        return exporter.flush();
    }

    /**
     * Stops the exporter (which closes its connections, ending an export still in flight), then the
     * thread, and waits for the thread itself to end: an executor reports termination while its
     * thread is still on its way out.
     */
    @Override
    public CompletableResultCode shutdown() {
        CompletableResultCode stopped = exporter.shutdown();
        executor.shutdownNow();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_MILLIS);
            for (Thread thread : threads) {
                TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean ended = threads.stream().noneMatch(Thread::isAlive);
        return ended && stopped.isSuccess() ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
    }

    @Override
    public String toString() {
        return "ExportThread{" + exporter + "}";
    }
}
