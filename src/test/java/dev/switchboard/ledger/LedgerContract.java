package dev.switchboard.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the ledger must do on every database it supports; each database's test runs it on a real one.
 */
abstract class LedgerContract {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    Database database;
    LedgerMetrics metrics;
    final List<LedgerRow> written = Collections.synchronizedList(new ArrayList<>());
    final List<LedgerStore> reconciled = Collections.synchronizedList(new ArrayList<>());
    /** The size of each batch written, in order. */
    final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
    final LedgerWriter.Listener listener = new LedgerWriter.Listener() {
        @Override
        public void written(List<LedgerRow> rows) {
            written.addAll(rows);
            batches.add(rows.size());
        }

        @Override
        public void reconcile(LedgerStore store) {
            reconciled.add(store);
        }
    };

    abstract Database open() throws Exception;

    @BeforeEach
    void openDatabase() throws Exception {
        database = open();
        metrics = new LedgerMetrics(new PrometheusRegistry());
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    LedgerWriter writer(int capacity) {
        return new LedgerWriter(database, capacity, Duration.ofDays(90), Duration.ofMillis(50), listener, metrics,
                Clock.systemUTC());
    }

    void awaitWritten(int rows, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (written.size() < rows && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    static LedgerRow row(Instant time, String token, String team, String model, String cost) {
        return new LedgerRow(time, "req-" + System.nanoTime(), token, team, "balanced", model, "anthropic", 1000, 200,
                300, 50, 20, new BigDecimal(cost), false, 200, 1, 1234, 321);
    }

    @Test
    void writesEveryRowAndItsDailyRollup() throws Exception {
        try (LedgerWriter writer = writer(10_000).start()) {
            for (int i = 0; i < 1_200; i++) {
                assertThat(writer.offer(row(NOW.plusSeconds(i), "alice", "research", "claude-sonnet-4-6", "0.0001075")))
                        .isTrue();
            }
            writer.offer(row(NOW, "bob", null, "gpt-4.1", "0.5"));
            writer.offer(new LedgerRow(NOW.minus(Duration.ofDays(1)), "r", "alice", "research", null, "none", "none", 0,
                    0, 0, 0, 0, BigDecimal.ZERO, true, 429, 0, 3, -1));
            // What the writer writes while it runs: a stop flushes for a bounded time only, which a
            // loaded machine can use up (a stop's flush is tested with a small queue below).
            awaitWritten(1_202, Duration.ofSeconds(60));
        }
        assertThat(count("SELECT COUNT(*) FROM ledger_request")).isEqualTo(1_202);
        assertThat(written).hasSize(1_202);
        assertThat(metrics.count(LedgerMetrics.Outcome.WRITTEN)).isEqualTo(1_202);
        assertThat(reconciled).isNotEmpty();
        LedgerStore store = new LedgerStore(database, database.migrate());
        // 1,200 × 0.0001075, exactly: the rollups and the sums are decimal.
        assertThat(store.tokenSpend("alice", LocalDate.of(2026, 12, 6))).isEqualByComparingTo("0.129");
        assertThat(store.tokenSpend("alice", LocalDate.of(2026, 12, 1))).isEqualByComparingTo("0.129");
        assertThat(store.teamSpend("research", LocalDate.of(2026, 12, 6))).isEqualByComparingTo("0.129");
        assertThat(store.tokenSpend("bob", LocalDate.of(2026, 12, 6))).isEqualByComparingTo("0.5");
        assertThat(store.tokenSpend("alice", LocalDate.of(2026, 12, 7))).isEqualByComparingTo("0");
        try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(
                "SELECT requests, input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens,"
                        + " estimated_requests FROM ledger_daily WHERE token_name = 'alice' ORDER BY usage_day")) {
            try (ResultSet result = query.executeQuery()) {
                assertThat(result.next()).isTrue();
                assertThat(result.getLong(1)).isEqualTo(1);
                assertThat(result.getLong(7)).isEqualTo(1);
                assertThat(result.next()).isTrue();
                assertThat(result.getLong(1)).isEqualTo(1_200);
                assertThat(result.getLong(2)).isEqualTo(1_200_000);
                assertThat(result.getLong(3)).isEqualTo(240_000);
                assertThat(result.getLong(4)).isEqualTo(360_000);
                assertThat(result.getLong(5)).isEqualTo(60_000);
                assertThat(result.getLong(6)).isEqualTo(24_000);
                assertThat(result.getLong(7)).isZero();
            }
        }
        assertThat(count("SELECT COUNT(*) FROM ledger_daily WHERE token_name = 'bob' AND team = ''")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM ledger_request WHERE ttft_ms IS NULL")).isEqualTo(1);
    }

    @Test
    void rowsArrivingOneAtATimeShareBatches() throws Exception {
        try (LedgerWriter writer = writer(10_000).start()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (writer.store() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long start = System.nanoTime();
            for (int i = 0; i < 60; i++) {
                writer.offer(row(NOW, "alice", null, "m", "1"));
                Thread.sleep(2);
            }
            long offeringMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            awaitWritten(60, Duration.ofSeconds(60));
            // Each batch waited LINGER for more rows; written as they came, they would be dozens of batches.
            assertThat(batches).hasSizeLessThanOrEqualTo((int) (offeringMillis / LedgerWriter.LINGER.toMillis()) + 2);
        }
        assertThat(written).hasSize(60);
    }

    @Test
    void aFullQueueDropsAndCountsWithoutWaiting() {
        LedgerWriter writer = writer(2);
        assertThat(writer.offer(row(NOW, "alice", null, "m", "1"))).isTrue();
        assertThat(writer.offer(row(NOW, "alice", null, "m", "1"))).isTrue();
        long before = System.nanoTime();
        assertThat(writer.offer(row(NOW, "alice", null, "m", "1"))).isFalse();
        assertThat(System.nanoTime() - before).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(metrics.count(LedgerMetrics.Outcome.DROPPED_QUEUE_FULL)).isEqualTo(1);
        // Started late, it still writes what it queued, and close waits for it.
        writer.start().close();
        assertThat(written).hasSize(2);
    }

    @Test
    void retentionDeletesOldRawRowsAndKeepsTheirRollups() throws Exception {
        Instant old = Instant.now().minus(Duration.ofDays(91));
        try (LedgerWriter writer = writer(100).start()) {
            writer.offer(row(old, "alice", null, "m", "2"));
            writer.offer(row(Instant.now(), "alice", null, "m", "3"));
        }
        // The writer's hourly pass may have come before the rows or after: run it once more.
        LedgerStore store = new LedgerStore(database, database.migrate());
        store.deleteBefore(Instant.now().minus(Duration.ofDays(90)));
        assertThat(count("SELECT COUNT(*) FROM ledger_request")).isEqualTo(1);
        assertThat(store.tokenSpend("alice", LocalDate.now().minusDays(100))).isEqualByComparingTo("5");
    }

    /**
     * Retention finds old rows by id: below where the rows of the cutoff begin, those older than
     * it go; an old row written after newer ones (a long request's) goes then or at a later pass.
     */
    @Test
    void retentionDeletesTheOldRowsBelowTheNewOnes() throws Exception {
        LedgerStore store = new LedgerStore(database, database.migrate());
        Instant old = Instant.now().minus(Duration.ofDays(91));
        List<LedgerRow> rows = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            rows.add(row(old.plusSeconds(i), "alice", null, "m", "1"));
        }
        for (int i = 0; i < 50; i++) {
            rows.add(row(i == 10 ? old.plusSeconds(500) : Instant.now(), "alice", null, "m", "1"));
        }
        store.write(rows);

        long deleted = store.deleteBefore(Instant.now().minus(Duration.ofDays(90)));

        assertThat(deleted).as("the 150 old rows, and the late one if the search passed it").isIn(150L, 151L);
        assertThat(count("SELECT COUNT(*) FROM ledger_request")).isEqualTo(200 - deleted);
        assertThat(store.deleteBefore(Instant.now().plus(Duration.ofDays(1)))).isEqualTo(200 - deleted);
        assertThat(count("SELECT COUNT(*) FROM ledger_request")).isZero();
        assertThat(store.tokenSpend("alice", LocalDate.now().minusDays(100))).isEqualByComparingTo("200");
    }

    /** However the ids and times interleave, retention never deletes a row of the cutoff or later. */
    @Test
    void retentionNeverDeletesANewerRow() throws Exception {
        LedgerStore store = new LedgerStore(database, database.migrate());
        Instant old = Instant.now().minus(Duration.ofDays(91));
        List<LedgerRow> rows = new ArrayList<>();
        int newer = 0;
        for (int i = 0; i < 300; i++) {
            boolean isNew = i % 7 == 3 || i % 11 == 0;
            newer += isNew ? 1 : 0;
            rows.add(row(isNew ? Instant.now() : old.plusSeconds(i), "bob", null, "m", "1"));
        }
        store.write(rows);

        long deleted = store.deleteBefore(Instant.now().minus(Duration.ofDays(90)));

        assertThat(count("SELECT COUNT(*) FROM ledger_request")).isEqualTo(300 - deleted);
        try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(
                "SELECT COUNT(*) FROM ledger_request WHERE occurred_at >= ?")) {
            query.setObject(1, LedgerStore.utc(Instant.now().minus(Duration.ofDays(90))));
            try (ResultSet result = query.executeQuery()) {
                result.next();
                assertThat(result.getLong(1)).as("every newer row").isEqualTo(newer);
            }
        }
    }

    /**
     * A batch longer than whole multi-row statements (LedgerStore.ROWS_PER_INSERT) writes every
     * row, each column as given, in order: those of the statements of many rows, then the rest.
     */
    @Test
    void writesEveryColumnOfEveryRowInItsOrder() throws Exception {
        LedgerStore store = new LedgerStore(database, database.migrate());
        List<LedgerRow> rows = new ArrayList<>();
        for (int i = 0; i < 2 * LedgerStore.ROWS_PER_INSERT + 7; i++) {
            rows.add(new LedgerRow(NOW.plusMillis(i * 1_001L), "req-" + i, "token-" + i % 3, i % 2 == 0 ? null : "team-" + i,
                    i % 5 == 0 ? null : "alias-" + i, "model-" + i % 4, "provider-" + i % 2, i, 2L * i, 3L * i, 4L * i,
                    5L * i, new BigDecimal("0.000000000001").multiply(BigDecimal.valueOf(i)), i % 3 == 0, 200 + i, 1 + i % 3,
                    10L * i, i % 4 == 0 ? -1 : 7L * i));
        }
        store.write(rows);
        List<LedgerRow> read = new ArrayList<>();
        try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(
                "SELECT " + LedgerStore.COLUMNS + " FROM ledger_request ORDER BY id"); ResultSet result = query.executeQuery()) {
            while (result.next()) {
                long ttft = result.getLong(18);
                ttft = result.wasNull() ? -1 : ttft;
                read.add(new LedgerRow(result.getObject(1, java.time.OffsetDateTime.class).toInstant(), result.getString(2),
                        result.getString(3), result.getString(4), result.getString(5), result.getString(6),
                        result.getString(7), result.getLong(8), result.getLong(9), result.getLong(10), result.getLong(11),
                        result.getLong(12), result.getBigDecimal(13).stripTrailingZeros(), result.getBoolean(14),
                        result.getInt(15), result.getInt(16), result.getLong(17), ttft));
            }
        }
        List<LedgerRow> expected = new ArrayList<>();
        for (LedgerRow row : rows) {
            expected.add(new LedgerRow(row.time(), row.requestId(), row.token(), row.team(), row.requestedModel(),
                    row.model(), row.provider(), row.inputTokens(), row.outputTokens(), row.cachedTokens(),
                    row.cacheWriteTokens(), row.reasoningTokens(), row.costUsd().stripTrailingZeros(), row.estimated(),
                    row.status(), row.attempts(), row.durationMs(), row.ttftMs()));
        }
        assertThat(read).containsExactlyElementsOf(expected);
        assertThat(count("SELECT SUM(requests) FROM ledger_daily")).isEqualTo(rows.size());
        assertThat(count("SELECT SUM(requests) FROM ledger_daily_by_token")).isEqualTo(rows.size());
        assertThat(count("SELECT SUM(requests) FROM ledger_daily_by_team_model")).isEqualTo(rows.size());
    }

    /** The raw rows' indexes each database keeps (docs/spend.md#the-ledger). */
    @Test
    void keepsItsIndexPlan() throws Exception {
        database.migrate();
        assertThat(indexes("ledger_request").contains("ledger_request_time")).isEqualTo(keepsRawRowIndexes());
        assertThat(indexes("ledger_request").contains("ledger_request_token_time")).isEqualTo(keepsRawRowIndexes());
        assertThat(indexes("ledger_daily")).contains("ledger_daily_token", "ledger_daily_team");
    }

    /** Whether this database keeps the raw rows' indexes by time and by token and time. */
    abstract boolean keepsRawRowIndexes();

    /** The names of a table's indexes, in lower case. */
    java.util.Set<String> indexes(String table) throws SQLException {
        java.util.Set<String> names = new java.util.TreeSet<>();
        try (Connection connection = database.connection()) {
            java.sql.DatabaseMetaData metaData = connection.getMetaData();
            String name = metaData.storesUpperCaseIdentifiers() ? table.toUpperCase(java.util.Locale.ROOT) : table;
            try (ResultSet result = metaData.getIndexInfo(null, connection.getSchema(), name, false, false)) {
                while (result.next()) {
                    if (result.getString("INDEX_NAME") != null) {
                        names.add(result.getString("INDEX_NAME").toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        return names;
    }

    @Test
    void migratingTwiceChangesNothing() throws Exception {
        database.migrate();
        assertThat(database.migrate()).isNotNull();
        assertThat(count("SELECT COUNT(*) FROM ledger_daily")).isZero();
    }

    long count(String sql) throws SQLException {
        try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(sql);
             ResultSet result = query.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }
}
