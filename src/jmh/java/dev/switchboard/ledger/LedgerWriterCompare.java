package dev.switchboard.ledger;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Two or more ledger writers on embedded H2 files of their own in one JVM, given rows at one
 * steady rate in turns (slices), so that settings or schema variants are compared with the same
 * JIT state and under the same load of a shared machine: per variant, the CPU of every ledger
 * thread (the writers' and H2's) during its slices, per row written. A variant is
 * {@code name=settings|sql;sql}: H2 settings appended to the gateway's embedded URL, then
 * statements run after the migrations. Run as {@link LedgerWriterLoad}:
 *
 * <pre>
 * java -cp … dev.switchboard.ledger.LedgerWriterCompare --rate 6000 --slice 4 --rounds 6 \
 *     "current=|" "no-token-index=|DROP INDEX ledger_request_token_time"
 * </pre>
 *
 * The writers not given rows in a slice are idle (their background threads wake, find nothing
 * to save and sleep), so the ledger threads' CPU of a slice is its variant's. Single use.
 */
public final class LedgerWriterCompare {
    private LedgerWriterCompare() {
    }

    private record Variant(String name, Database database, LedgerWriter writer, AtomicLong written, long[] cpuNanos,
                           long[] rows) {
    }

    public static void main(String[] args) throws Exception {
        int rate = 6000;
        int slice = 4;
        int rounds = 6;
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--slice" -> slice = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> specs.add(args[i]);
            }
        }
        Path directory = Files.createTempDirectory("ledger-compare");
        List<Variant> variants = new ArrayList<>();
        for (String spec : specs) {
            String name = spec.substring(0, spec.indexOf('='));
            String[] parts = spec.substring(spec.indexOf('=') + 1).split("\\|", 2);
            Database database = Database.pooled(Database.embeddedUrl(directory.resolve(name)) + parts[0], null, null, 4,
                    name);
            AtomicLong written = new AtomicLong();
            LedgerWriter writer = new LedgerWriter(database, LedgerWriter.DEFAULT_CAPACITY, Duration.ofDays(90),
                    Duration.ofHours(1), new LedgerWriter.Listener() {
                        @Override
                        public void written(List<LedgerRow> rows) {
                            written.addAndGet(rows.size());
                        }

                        @Override
                        public void reconcile(LedgerStore store) {
                        }
                    }, new LedgerMetrics(new PrometheusRegistry()), Clock.systemUTC()).start();
            while (writer.store() == null) {
                Thread.sleep(20);
            }
            if (parts.length > 1 && !parts[1].isBlank()) {
                try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
                    for (String sql : parts[1].split(";")) {
                        statement.execute(sql);
                    }
                }
            }
            variants.add(new Variant(name, database, writer, written, new long[1], new long[1]));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] counter = new long[1];
        for (int round = -1; round < rounds; round++) {
            for (Variant variant : variants) {
                long cpuBefore = ledgerCpu(threads);
                long writtenBefore = variant.written.get();
                offer(variant.writer, rate, slice, counter);
                // The slice's last rows: written within the linger and a batch.
                long due = writtenBefore + (long) rate * slice;
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (variant.written.get() < due && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                Thread.sleep(LedgerWriter.LINGER.toMillis() * 2);
                if (round >= 0) {
                    variant.cpuNanos[0] += ledgerCpu(threads) - cpuBefore;
                    variant.rows[0] += variant.written.get() - writtenBefore;
                }
            }
        }
        for (Variant variant : variants) {
            System.out.printf(Locale.ROOT, "%-24s %9d rows  %6.2f µs of ledger threads' CPU per row%n", variant.name,
                    variant.rows[0], variant.cpuNanos[0] / 1e3 / Math.max(1, variant.rows[0]));
            variant.writer.close();
            variant.database.close();
        }
    }

    private static void offer(LedgerWriter writer, int rate, int seconds, long[] counter) {
        long start = System.nanoTime();
        long sent = 0;
        for (long tick = 1; tick <= seconds * 1_000L; tick++) {
            long due = tick * rate / 1_000;
            for (; sent < due; sent++) {
                long count = counter[0]++;
                writer.offer(new LedgerRow(Instant.now(), "chatcmpl-" + count, "token-" + count % 3, null, "gpt-4o-mini",
                        "model-" + count % 2, "mock-openai", 19, 9, 0, 0, 0,
                        BigDecimal.valueOf(8_250_000L + count % 7, 12), false, 200, 1, 2, -1));
            }
            long wait = start + tick * 1_000_000L - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private static long ledgerCpu(ThreadMXBean threads) {
        long cpu = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (LedgerWriterLoad.LEDGER_THREADS.stream().anyMatch(thread.getName()::startsWith)) {
                cpu += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return cpu;
    }
}
