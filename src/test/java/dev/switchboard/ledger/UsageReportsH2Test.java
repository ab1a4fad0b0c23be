package dev.switchboard.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage API's reports from the daily rollups, on an H2 file. */
class UsageReportsH2Test {
    @TempDir
    Path directory;

    /** A started writer whose listener does nothing: these tests read the rollups, not the budgets. */
    private static LedgerWriter writer(Database database) {
        return new LedgerWriter(database, 100, Duration.ofDays(90), Duration.ofSeconds(5), LedgerOutageIT.QUIET,
                new LedgerMetrics(new PrometheusRegistry()), Clock.systemUTC()).start();
    }

    /** What slows the rollup down in {@link #aReportPastItsQueryTimeoutFailsAndFreesTheReportThread}: public, for H2. */
    public static final class Slow {
        private Slow() {
        }

        public static boolean slow(long row) throws InterruptedException {
            Thread.sleep(5);
            return true;
        }
    }

    @Test
    void aReportPastItsQueryTimeoutFailsAndFreesTheReportThread() throws Exception {
        Database database = TestDatabases.h2(directory);
        try (database) {
            // Before the writer: its close must find the schema there and write the row.
            database.migrate();
            try (LedgerWriter writer = writer(database)) {
                writer.offer(LedgerContract.row(Instant.parse("2026-12-01T10:00:00Z"), "alice", "research", "m1", "0.25"));
            }
            // The rollup an ungrouped report reads, made slow: 2,000 copies of its row, 5 ms each, 10 s in all (H2
            // looks at the timeout every 128 rows).
            try (java.sql.Connection connection = database.connection();
                 java.sql.Statement sql = connection.createStatement()) {
                sql.execute("CREATE ALIAS SLOW FOR '" + Slow.class.getName() + ".slow'");
                sql.execute("ALTER TABLE ledger_daily_by_team_model RENAME TO ledger_daily_by_team_model_rows");
                sql.execute("CREATE VIEW ledger_daily_by_team_model AS SELECT r.* FROM ledger_daily_by_team_model_rows r,"
                        + " SYSTEM_RANGE(1, 2000) WHERE SLOW(X)");
            }
            try (UsageReports reports = new UsageReports(database, Duration.ofSeconds(1))) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> reports.report(new UsageQuery(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 2),
                        List.of())).get()).hasRootCauseInstanceOf(java.sql.SQLTimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            }
        }
    }

    @Test
    void reportsByDayAndGroup() throws Exception {
        Database database = TestDatabases.h2(directory);
        try (database) {
            try (LedgerWriter writer = writer(database)) {
                Instant day1 = Instant.parse("2026-12-01T10:00:00Z");
                writer.offer(LedgerContract.row(day1, "alice", "research", "m1", "0.25"));
                writer.offer(LedgerContract.row(day1, "alice", "research", "m2", "0.5"));
                writer.offer(LedgerContract.row(day1, "bob", null, "m1", "1"));
                writer.offer(LedgerContract.row(day1.plus(Duration.ofDays(2)), "bob", null, "m1", "2"));
            }
            try (UsageReports reports = new UsageReports(database)) {
                List<UsageRow> byToken = reports.report(new UsageQuery(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 4),
                        List.of(UsageQuery.GroupBy.TOKEN, UsageQuery.GroupBy.TEAM))).get().rows();
                assertThat(byToken).extracting(row -> row.day() + " " + row.groups().get(UsageQuery.GroupBy.TOKEN) + " "
                        + row.groups().get(UsageQuery.GroupBy.TEAM) + " " + row.requests() + " "
                        + row.costUsd().stripTrailingZeros().toPlainString()).containsExactly(
                        "2026-12-01 alice research 2 0.75", "2026-12-01 bob null 1 1", "2026-12-03 bob null 1 2");
                List<UsageRow> all = reports.report(new UsageQuery(LocalDate.of(2026, 12, 2), LocalDate.of(2026, 12, 4),
                        List.of())).get().rows();
                assertThat(all).hasSize(1);
                assertThat(all.get(0).inputTokens()).isEqualTo(1000);
                assertThat(all.get(0).costUsd()).isEqualByComparingTo(new BigDecimal("2"));
            }
        }
    }

    /** Every grouping, the narrow ones read from the narrow rollups, answers as the full rollup does. */
    @Test
    void everyGroupingAgreesWithTheFullRollup() throws Exception {
        Database database = TestDatabases.h2(directory);
        try (database) {
            try (LedgerWriter writer = writer(database)) {
                Instant day1 = Instant.parse("2026-12-01T10:00:00Z");
                String[] tokens = {"alice", "bob", "carol"};
                String[] teams = {"research", null, "research"};
                for (int i = 0; i < 36; i++) {
                    writer.offer(new LedgerRow(day1.plus(Duration.ofHours(7L * i)), "r" + i, tokens[i % 3], teams[i % 3],
                            "alias", "m" + i % 4, i % 4 < 2 ? "openai" : "anthropic", 100 + i, 10 + i, i, 1, 2,
                            new BigDecimal("0.000123").multiply(BigDecimal.valueOf(i + 1)), i % 5 == 0, 200, 1, 10, 5));
                }
            }
            try (UsageReports reports = new UsageReports(database)) {
                UsageQuery.GroupBy[] all = UsageQuery.GroupBy.values();
                for (int subset = 0; subset < 1 << all.length; subset++) {
                    List<UsageQuery.GroupBy> groups = new java.util.ArrayList<>();
                    for (int i = 0; i < all.length; i++) {
                        if ((subset & 1 << i) != 0) {
                            groups.add(all[i]);
                        }
                    }
                    UsageQuery query = new UsageQuery(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 13), groups);
                    List<UsageRow> full = reports.run(query, Rollup.FULL, UsageReports.MAX_RESULTS).rows();
                    assertThat(full).as("rows for %s", groups).isNotEmpty();
                    assertThat(reports.run(query).rows()).as("grouped by %s, from %s", groups, Rollup.narrowest(groups))
                            .isEqualTo(full);
                }
                assertThat(Rollup.narrowest(List.of(UsageQuery.GroupBy.MODEL))).isEqualTo(Rollup.TEAM_MODEL);
                assertThat(Rollup.narrowest(List.of(UsageQuery.GroupBy.TOKEN))).isEqualTo(Rollup.TOKEN);
                assertThat(Rollup.narrowest(List.of(UsageQuery.GroupBy.TOKEN, UsageQuery.GroupBy.PROVIDER)))
                        .isEqualTo(Rollup.FULL);
            }
        }
    }

    /** A ledger written before the narrow rollups existed gets them filled when it is migrated. */
    @Test
    void theMigrationFillsTheNarrowRollupsFromTheFullOne() throws Exception {
        Database database = TestDatabases.h2(directory);
        try (database) {
            org.flywaydb.core.Flyway.configure(Database.class.getClassLoader()).dataSource(database.dataSource())
                    .locations(Database.MIGRATIONS).table(Database.HISTORY_TABLE).target("1").load().migrate();
            try (java.sql.Connection connection = database.connection();
                 java.sql.Statement statement = connection.createStatement()) {
                for (String values : List.of("DATE '2026-12-01', 'alice', 'research', 'm1', 'openai', 2",
                        "DATE '2026-12-01', 'alice', 'research', 'm2', 'anthropic', 3",
                        "DATE '2026-12-01', 'bob', '', 'm1', 'openai', 5")) {
                    statement.executeUpdate("INSERT INTO ledger_daily (usage_day, token_name, team, model, provider,"
                            + " requests, input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens,"
                            + " cost_usd, estimated_requests) VALUES (" + values + ", 10, 20, 1, 0, 0, 0.5, 0)");
                }
            }
            database.migrate();
            try (UsageReports reports = new UsageReports(database)) {
                for (List<UsageQuery.GroupBy> groups : List.of(List.of(UsageQuery.GroupBy.TOKEN),
                        List.of(UsageQuery.GroupBy.TEAM, UsageQuery.GroupBy.MODEL))) {
                    UsageQuery query = new UsageQuery(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 2), groups);
                    List<UsageRow> full = reports.run(query, Rollup.FULL, UsageReports.MAX_RESULTS).rows();
                    assertThat(full).hasSizeGreaterThan(1);
                    assertThat(reports.run(query).rows()).isEqualTo(full);
                }
            }
        }
    }
}
