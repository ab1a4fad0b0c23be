package dev.switchboard.ledger;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void reportsByDayAndGroup() throws Exception {
        Database database = TestDatabases.h2(directory);
        try (database) {
            try (LedgerWriter writer = new LedgerWriter(database, 100, Duration.ofDays(90), Duration.ofSeconds(5),
                    new LedgerWriter.Listener() {
                        @Override
                        public void written(List<LedgerRow> rows) {
                        }

                        @Override
                        public void reconcile(LedgerStore store) {
                        }
                    }, new LedgerMetrics(new PrometheusRegistry()), Clock.systemUTC()).start()) {
                Instant day1 = Instant.parse("2026-12-01T10:00:00Z");
                writer.offer(LedgerContract.row(day1, "alice", "research", "m1", "0.25"));
                writer.offer(LedgerContract.row(day1, "alice", "research", "m2", "0.5"));
                writer.offer(LedgerContract.row(day1, "bob", null, "m1", "1"));
                writer.offer(LedgerContract.row(day1.plus(Duration.ofDays(2)), "bob", null, "m1", "2"));
            }
            try (UsageReports reports = new UsageReports(database)) {
                List<UsageRow> byToken = reports.report(new UsageQuery(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 4),
                        List.of(UsageQuery.GroupBy.TOKEN, UsageQuery.GroupBy.TEAM))).get();
                assertThat(byToken).extracting(row -> row.day() + " " + row.groups().get(UsageQuery.GroupBy.TOKEN) + " "
                        + row.groups().get(UsageQuery.GroupBy.TEAM) + " " + row.requests() + " "
                        + row.costUsd().stripTrailingZeros().toPlainString()).containsExactly(
                        "2026-12-01 alice research 2 0.75", "2026-12-01 bob null 1 1", "2026-12-03 bob null 1 2");
                List<UsageRow> all = reports.report(new UsageQuery(LocalDate.of(2026, 12, 2), LocalDate.of(2026, 12, 4),
                        List.of())).get();
                assertThat(all).hasSize(1);
                assertThat(all.get(0).inputTokens()).isEqualTo(1000);
                assertThat(all.get(0).costUsd()).isEqualByComparingTo(new BigDecimal("2"));
            }
        }
    }
}
