package dev.switchboard.ledger;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The ledger's writer under a steady request rate, as the gateway runs it: one thread offers rows
 * at {@code --rate} a second for {@code --seconds} (after as long again of warm-up) to a
 * {@link LedgerWriter} on an embedded H2 file (the gateway's own settings), and the CPU of the threads that do the ledger's
 * work (its writer, and H2's background writer, serialization and save threads) is reported per
 * row, with the batches the writer made. JMH measures one thread's time; this measures what the
 * bench's "ledger threads' CPU per request" measures (bench/README.md), without a gateway around
 * it. Run it with the test class path:
 *
 * <pre>
 * mvn -Pjmh -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.switchboard.ledger.LedgerWriterLoad --rate 8000 --seconds 20
 * </pre>
 *
 * Or with {@code --url jdbc:postgresql://…} for another database, and {@code --sql "…"} for one
 * statement run after the migrations (a schema or settings experiment), {@code --settings ";KEY=value"} for
 * H2 settings after the gateway's own in the embedded URL. One per run. On a machine too busy for the
 * writer to keep up, read the CPU per row written: per row offered counts only the rows it got to.
 */
public final class LedgerWriterLoad {
    /** Thread name prefixes of the ledger's work: the writer and its pool, H2's MVStore threads. */
    static final List<String> LEDGER_THREADS = List.of("switchboard-ledger", "MVStore background writer",
            "H2-serialization", "H2-save");

    private LedgerWriterLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--rate", "8000", "--seconds", "20", "--tokens", "1",
                "--models", "2"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int rate = Integer.parseInt(options.get("--rate"));
        int seconds = Integer.parseInt(options.get("--seconds"));
        int tokens = Integer.parseInt(options.get("--tokens"));
        int models = Integer.parseInt(options.get("--models"));
        Path directory = Files.createTempDirectory("ledger-load");
        Database database = options.containsKey("--url")
                ? Database.pooled(options.get("--url"), null, null, 4, "the given URL")
                : Database.pooled(Database.embeddedUrl(directory.resolve("switchboard")) + options.getOrDefault("--settings", ""),
                        null, null, 4, "embedded H2");
        LedgerMetrics metrics = new LedgerMetrics(new PrometheusRegistry());
        long[] batches = new long[2];
        LedgerWriter.Listener listener = new LedgerWriter.Listener() {
            @Override
            public void written(List<LedgerRow> rows) {
                batches[0]++;
                batches[1] += rows.size();
            }

            @Override
            public void reconcile(LedgerStore store) {
            }
        };
        LedgerWriter writer = new LedgerWriter(database, LedgerWriter.DEFAULT_CAPACITY, Duration.ofDays(90),
                LedgerWriter.DEFAULT_RECONCILE_INTERVAL, listener, metrics, Clock.systemUTC()).start();
        while (writer.store() == null) {
            Thread.sleep(50);
        }
        if (options.containsKey("--sql")) {
            // An experiment on the schema or the settings, e.g. --sql "DROP INDEX ledger_request_token_time".
            try (java.sql.Connection connection = database.connection();
                 java.sql.Statement statement = connection.createStatement()) {
                statement.execute(options.get("--sql"));
            }
        }
        offer(writer, rate, seconds, tokens, models);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> before = ledgerCpu(threads);
        long processBefore = processCpu();
        long gcBefore = gcMillis();
        long batchesBefore = batches[0];
        long rowsBefore = batches[1];
        long offered = offer(writer, rate, seconds, tokens, models);
        Map<Long, Long> after = ledgerCpu(threads);
        long processAfter = processCpu();
        long gcAfter = gcMillis();
        long ledgerNanos = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
            ledgerNanos += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        long rows = batches[1] - rowsBefore;
        System.out.printf(Locale.ROOT, "rate %d/s for %d s: %d rows offered, %d written in %d batches (%.1f rows a batch);"
                        + " ledger threads %.2f µs per row (%.2f µs per row written); whole process %.2f µs per row (the offering thread included);"
                        + " GC pauses %d ms in all%n",
                rate, seconds, offered, rows, batches[0] - batchesBefore,
                (double) rows / Math.max(1, batches[0] - batchesBefore), ledgerNanos / 1e3 / Math.max(1, offered),
                ledgerNanos / 1e3 / Math.max(1, rows),
                (processAfter - processBefore) / 1e3 / Math.max(1, offered), gcAfter - gcBefore);
        writer.close();
        database.close();
    }

    /**
     * Offers rows at {@code rate} a second for {@code seconds}, those due in each millisecond
     * together (parking between, so that the offering thread takes little of the machine);
     * returns how many.
     */
    private static long offer(LedgerWriter writer, int rate, int seconds, int tokens, int models) {
        long start = System.nanoTime();
        long count = 0;
        for (long tick = 1; tick <= seconds * 1_000L; tick++) {
            long due = tick * rate / 1_000;
            for (; count < due; count++) {
                writer.offer(new LedgerRow(Instant.now(), "req_" + count, "token-" + count % tokens, null, "gpt-4o-mini",
                        "model-" + count % models, "mock-openai", 19, 9, 0, 0, 0,
                        BigDecimal.valueOf(8_250_000L + count % 7, 12), false, 200, 1, 2, -1));
            }
            long wait = start + tick * 1_000_000L - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        return count;
    }

    private static Map<Long, Long> ledgerCpu(ThreadMXBean threads) {
        Map<Long, Long> cpu = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (LEDGER_THREADS.stream().anyMatch(thread.getName()::startsWith)) {
                cpu.put(thread.getId(), threads.getThreadCpuTime(thread.getId()));
            }
        }
        return cpu;
    }

    /** Milliseconds the collectors have spent, all of them together (G1's are its pauses). */
    private static long gcMillis() {
        long millis = 0;
        for (java.lang.management.GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, collector.getCollectionTime());
        }
        return millis;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
