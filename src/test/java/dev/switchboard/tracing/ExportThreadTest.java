package dev.switchboard.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Exports run on Switchboard's own thread, which has ended when the shutdown returns. */
class ExportThreadTest {
    /** Records the thread it exports on; an export waits until the exporter is shut down. */
    static final class BlockingExporter implements SpanExporter {
        final AtomicReference<Thread> exporting = new AtomicReference<>();
        final CountDownLatch stopped = new CountDownLatch(1);
        final boolean block;

        BlockingExporter(boolean block) {
            this.block = block;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            exporting.set(Thread.currentThread());
            if (block) {
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return CompletableResultCode.ofFailure();
            }
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            stopped.countDown();
            return CompletableResultCode.ofSuccess();
        }
    }

    @Test
    void exportsOnItsOwnThreadWhichHasEndedWhenTheShutdownReturns() {
        BlockingExporter exporter = new BlockingExporter(false);
        ExportThread exportThread = new ExportThread(exporter);

        assertThat(exportThread.export(List.of()).join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(exporter.exporting.get().getName()).isEqualTo(ExportThread.THREAD_NAME);
        assertThat(exportThread.shutdown().isSuccess()).isTrue();
        assertThat(exporter.exporting.get().isAlive()).as("the export thread, once the shutdown returned").isFalse();
        assertThat(exportThread.export(List.of()).isSuccess()).as("an export after the shutdown").isFalse();
    }

    @Test
    void theShutdownEndsAnExportStillWaitingAndItsThread() throws Exception {
        BlockingExporter exporter = new BlockingExporter(true);
        ExportThread exportThread = new ExportThread(exporter);
        CompletableResultCode waiting = exportThread.export(List.of());
        long deadline = System.currentTimeMillis() + 5_000;
        while (exporter.exporting.get() == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }

        assertThat(exportThread.shutdown().isSuccess()).isTrue();
        assertThat(exporter.exporting.get().isAlive()).as("the export thread, once the shutdown returned").isFalse();
        assertThat(waiting.join(1, TimeUnit.SECONDS).isSuccess()).as("the export the shutdown ended").isFalse();
    }

    @Test
    void batchesBehindAStuckExportFailAtOnceRatherThanPileUp() throws Exception {
        BlockingExporter exporter = new BlockingExporter(true);
        ExportThread exportThread = new ExportThread(exporter);
        CompletableResultCode stuck = exportThread.export(List.of());
        long deadline = System.currentTimeMillis() + 5_000;
        while (exporter.exporting.get() == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        List<CompletableResultCode> queued = new ArrayList<>();
        for (int i = 0; i < ExportThread.QUEUED_BATCHES; i++) {
            queued.add(exportThread.export(List.of()));
        }

        CompletableResultCode beyond = exportThread.export(List.of());
        assertThat(beyond.isDone()).as("an export beyond the queue, while one is stuck").isTrue();
        assertThat(beyond.isSuccess()).isFalse();
        assertThat(queued).allSatisfy(waiting -> assertThat(waiting.isDone()).as("a queued export").isFalse());
        assertThat(exportThread.shutdown().isSuccess()).isTrue();
        assertThat(stuck.join(1, TimeUnit.SECONDS).isSuccess()).isFalse();
    }
}
