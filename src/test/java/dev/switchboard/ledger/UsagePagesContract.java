package dev.switchboard.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A usage report holds at most so many results, in whole days (docs/spend.md#pages), on every
 * database the ledger supports; each database's test runs it on a real one.
 */
abstract class UsagePagesContract {
    static final LocalDate FIRST = LocalDate.of(2026, 11, 1);
    /** Tokens with spend on each of four days: the second day has none. */
    static final int[] TOKENS_PER_DAY = {3, 0, 2, 5};

    Database database;

    abstract Database open() throws Exception;

    @BeforeEach
    void fill() throws Exception {
        database = open();
        List<LedgerRow> rows = new ArrayList<>();
        for (int day = 0; day < TOKENS_PER_DAY.length; day++) {
            Instant time = FIRST.plusDays(day).atTime(10, 0).toInstant(java.time.ZoneOffset.UTC);
            for (int token = 0; token < TOKENS_PER_DAY[day]; token++) {
                for (String model : List.of("m1", "m2")) {
                    rows.add(LedgerContract.row(time, "token-" + token, token % 2 == 0 ? "research" : null, model,
                            "0.00" + (day + 1) + token));
                }
            }
        }
        List<LedgerRow> written = java.util.Collections.synchronizedList(new ArrayList<>());
        try (LedgerWriter writer = new LedgerWriter(database, 100, Duration.ofDays(3650), Duration.ofSeconds(5),
                new LedgerWriter.Listener() {
                    @Override
                    public void written(List<LedgerRow> batch) {
                        written.addAll(batch);
                    }

                    @Override
                    public void reconcile(LedgerStore store) {
                    }
                }, new LedgerMetrics(new PrometheusRegistry()), Clock.systemUTC()).start()) {
            rows.forEach(writer::offer);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (written.size() < rows.size()) {
                assertThat(System.nanoTime()).as("rows written within 30 s").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    @AfterEach
    void close() {
        database.close();
    }

    static UsageQuery byToken(LocalDate from) {
        return new UsageQuery(from, FIRST.plusDays(TOKENS_PER_DAY.length), List.of(UsageQuery.GroupBy.TOKEN));
    }

    static String describe(UsageReports.Report report) {
        List<String> rows = new ArrayList<>();
        for (UsageRow row : report.rows()) {
            rows.add(row.day().getDayOfMonth() + ":" + row.groups().values().stream().map(String::valueOf)
                    .reduce((a, b) -> a + "/" + b).orElse("") + " " + row.requests());
        }
        return rows + " to " + report.to();
    }

    @Test
    void aReportEndsBeforeTheDayThatWouldTakeItPastItsResults() throws Exception {
        UsageReports reports = new UsageReports(database);
        try (reports) {
            UsageReports.Report first = reports.run(byToken(FIRST), Rollup.TOKEN, 4);
            assertThat(describe(first)).as("the third day's two tokens would make five")
                    .isEqualTo("[1:token-0 2, 1:token-1 2, 1:token-2 2] to " + FIRST.plusDays(2));
            UsageReports.Report second = reports.run(byToken(first.to()), Rollup.TOKEN, 4);
            assertThat(describe(second)).isEqualTo("[3:token-0 2, 3:token-1 2] to " + FIRST.plusDays(3));
            UsageReports.Report third = reports.run(byToken(second.to()), Rollup.TOKEN, 4);
            assertThat(describe(third)).as("a day of five results is read whole, never split").isEqualTo(
                    "[4:token-0 2, 4:token-1 2, 4:token-2 2, 4:token-3 2, 4:token-4 2] to " + FIRST.plusDays(4));
            assertThat(reports.run(byToken(FIRST), Rollup.TOKEN, 10).to()).as("room for every day")
                    .isEqualTo(FIRST.plusDays(4));
        }
    }

    /** Paging through the full rollup (token and model) finds what one report of every day does. */
    @Test
    void pagesTogetherAreTheWholeReport() throws Exception {
        List<UsageQuery.GroupBy> groups = List.of(UsageQuery.GroupBy.TOKEN, UsageQuery.GroupBy.MODEL);
        LocalDate end = FIRST.plusDays(TOKENS_PER_DAY.length);
        UsageReports reports = new UsageReports(database);
        try (reports) {
            UsageReports.Report whole = reports.run(new UsageQuery(FIRST, end, groups));
            assertThat(whole.rows()).hasSize(20);
            List<UsageRow> paged = new ArrayList<>();
            int pages = 0;
            for (LocalDate from = FIRST; from.isBefore(end); pages++) {
                UsageReports.Report page = reports.run(new UsageQuery(from, end, groups), Rollup.FULL, 7);
                assertThat(page.to()).isAfter(from);
                paged.addAll(page.rows());
                from = page.to();
            }
            assertThat(pages).isEqualTo(3);
            assertThat(paged).isEqualTo(whole.rows());
            assertThat(paged.stream().map(UsageRow::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add))
                    .isEqualByComparingTo(whole.rows().stream().map(UsageRow::costUsd).reduce(BigDecimal.ZERO,
                            BigDecimal::add));
        }
    }
}
