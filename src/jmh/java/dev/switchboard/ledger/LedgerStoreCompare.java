package dev.switchboard.ledger;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link LedgerStore#write} against the statements it replaced (one-row {@code INSERT}s in a JDBC
 * batch, {@link #writeBefore}), each on an embedded H2 file of its own with the gateway's
 * settings, in alternating rounds of full batches in one JVM: the same JIT state and the same
 * load of a shared machine for both. Per variant, the CPU of this thread and of H2's threads per
 * row. A variant is {@code name=before|after[|settings[|sql;sql]]}. Run as {@link LedgerWriterLoad}:
 *
 * <pre>
 * java -cp … dev.switchboard.ledger.LedgerStoreCompare --batches 20 --rounds 20 before=before after=after
 * </pre>
 *
 * Single use.
 */
public final class LedgerStoreCompare {
    private LedgerStoreCompare() {
    }

    /** Per variant: all threads' CPU, the writing thread's CPU, its allocated bytes, rows. */
    private record Variant(String name, boolean before, Database database, LedgerStore store, long[] cpuNanos,
                           long[] rows) {
    }

    public static void main(String[] args) throws Exception {
        int batches = 20;
        int rounds = 20;
        List<Variant> variants = new ArrayList<>();
        Path directory = Files.createTempDirectory("ledger-store-compare");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batches" -> batches = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> {
                    String name = args[i].substring(0, args[i].indexOf('='));
                    String[] parts = args[i].substring(args[i].indexOf('=') + 1).split("\\|", 3);
                    Database database = Database.pooled(Database.embeddedUrl(directory.resolve(name))
                            + (parts.length > 1 ? parts[1] : ""), null, null, 4, name);
                    LedgerStore store = new LedgerStore(database, database.migrate());
                    if (parts.length > 2 && !parts[2].isBlank()) {
                        try (Connection connection = database.connection();
                             Statement statement = connection.createStatement()) {
                            for (String sql : parts[2].split(";")) {
                                statement.execute(sql);
                            }
                        }
                    }
                    variants.add(new Variant(name, parts[0].equals("before"), database, store, new long[3],
                            new long[1]));
                }
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long count = 0;
        for (int round = -3; round < rounds; round++) {
            for (Variant variant : variants) {
                long before = cpu(threads);
                long ownBefore = threads.getCurrentThreadCpuTime();
                com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
                long allocatedBefore = allocation.getCurrentThreadAllocatedBytes();
                for (int b = 0; b < batches; b++) {
                    List<LedgerRow> batch = new ArrayList<>(LedgerWriter.BATCH);
                    for (int i = 0; i < LedgerWriter.BATCH; i++, count++) {
                        batch.add(new LedgerRow(Instant.now(), "chatcmpl-" + count, "token-" + count % 3, null,
                                "gpt-4o-mini", "model-" + count % 2, "mock-openai", 19, 9, 0, 0, 0,
                                BigDecimal.valueOf(8_250_000L + count % 7, 12), false, 200, 1, 2, -1));
                    }
                    if (variant.before) {
                        writeBefore(variant.database, variant.store, batch);
                    } else {
                        variant.store.write(batch);
                    }
                }
                long own = threads.getCurrentThreadCpuTime() - ownBefore;
                long allocated = allocation.getCurrentThreadAllocatedBytes() - allocatedBefore;
                // H2's background save of what the round wrote, counted in its round.
                Thread.sleep(600);
                if (round >= 0) {
                    variant.cpuNanos[0] += cpu(threads) - before;
                    variant.cpuNanos[1] += own;
                    variant.cpuNanos[2] += allocated;
                    variant.rows[0] += (long) batches * LedgerWriter.BATCH;
                }
            }
        }
        for (Variant variant : variants) {
            System.out.printf(Locale.ROOT, "%-16s %8d rows  CPU per row: %6.2f µs (writing thread and H2's), %6.2f µs"
                            + " (writing thread); %6.0f bytes allocated per row by the writing thread%n", variant.name,
                    variant.rows[0], variant.cpuNanos[0] / 1e3 / variant.rows[0], variant.cpuNanos[1] / 1e3 / variant.rows[0],
                    (double) variant.cpuNanos[2] / variant.rows[0]);
            variant.database.close();
        }
    }

    /** LedgerStore.write as it was: the raw rows as a JDBC batch of one-row INSERTs. */
    static void writeBefore(Database database, LedgerStore store, List<LedgerRow> rows) throws SQLException {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(LedgerStore.INSERT)) {
                for (LedgerRow row : rows) {
                    insert.setObject(1, OffsetDateTime.ofInstant(row.time(), ZoneOffset.UTC));
                    insert.setString(2, row.requestId());
                    insert.setString(3, row.token());
                    insert.setString(4, row.team());
                    insert.setString(5, row.requestedModel());
                    insert.setString(6, row.model());
                    insert.setString(7, row.provider());
                    insert.setLong(8, row.inputTokens());
                    insert.setLong(9, row.outputTokens());
                    insert.setLong(10, row.cachedTokens());
                    insert.setLong(11, row.cacheWriteTokens());
                    insert.setLong(12, row.reasoningTokens());
                    insert.setBigDecimal(13, row.costUsd());
                    insert.setBoolean(14, row.estimated());
                    insert.setInt(15, row.status());
                    insert.setInt(16, row.attempts());
                    insert.setLong(17, row.durationMs());
                    insert.setNull(18, Types.BIGINT);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            store.addToRollups(connection, rows);
            connection.commit();
        }
    }

    private static long cpu(ThreadMXBean threads) {
        long cpu = threads.getCurrentThreadCpuTime();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("MVStore") || thread.getName().startsWith("H2-")) {
                cpu += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return cpu;
    }
}
