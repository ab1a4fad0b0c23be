package dev.switchboard.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL outage (docs/spend.md#the-ledger): rows offered meanwhile are queued at once, never
 * waited for, and written once the database answers again; nothing is lost.
 */
class LedgerOutageIT {
    static final LedgerWriter.Listener QUIET = new LedgerWriter.Listener() {
        @Override
        public void written(List<LedgerRow> rows) {
        }

        @Override
        public void reconcile(LedgerStore store) {
        }
    };

    @Test
    void rowsOfferedDuringAnOutageAreWrittenWhenTheDatabaseIsBack() throws Exception {
        String direct = TestDatabases.postgresUrl();
        Matcher hostPort = Pattern.compile("//([^:/]+):(\\d+)/").matcher(direct);
        assertThat(hostPort.find()).isTrue();
        try (TcpProxy proxy = new TcpProxy(hostPort.group(1), Integer.parseInt(hostPort.group(2)))) {
            String proxied = hostPort.replaceFirst("//127.0.0.1:" + proxy.port() + "/");
            LedgerMetrics metrics = new LedgerMetrics(new PrometheusRegistry());
            Database database = Database.pooled(proxied, null, null, 2, "proxied PostgreSQL");
            try (database; LedgerWriter writer = new LedgerWriter(database, 1_000, Duration.ofDays(90),
                    Duration.ofSeconds(5), QUIET, metrics, Clock.systemUTC()).start()) {
                for (int i = 0; i < 10; i++) {
                    writer.offer(LedgerContract.row(Instant.now(), "alice", null, "m", "0.01"));
                }
                await(() -> metrics.count(LedgerMetrics.Outcome.WRITTEN) == 10);

                proxy.stop();
                long slowest = 0;
                for (int i = 0; i < 20; i++) {
                    long started = System.nanoTime();
                    assertThat(writer.offer(LedgerContract.row(Instant.now(), "alice", null, "m", "0.01"))).isTrue();
                    slowest = Math.max(slowest, System.nanoTime() - started);
                    Thread.sleep(50);
                }
                assertThat(slowest).as("no offer waits for the database").isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
                await(() -> metrics.count(LedgerMetrics.Outcome.WRITTEN) == 10 && failures(metrics) > 0);

                proxy.start();
                await(() -> metrics.count(LedgerMetrics.Outcome.WRITTEN) == 30);
            }
            assertThat(metrics.count(LedgerMetrics.Outcome.DROPPED_QUEUE_FULL)).isZero();
            try (Connection connection = new org.postgresql.Driver().connect(direct, new Properties());
                 Statement statement = connection.createStatement();
                 ResultSet count = statement.executeQuery("SELECT (SELECT COUNT(*) FROM ledger_request),"
                         + " (SELECT SUM(requests) FROM ledger_daily)")) {
                count.next();
                assertThat(count.getLong(1)).isEqualTo(30);
                assertThat(count.getLong(2)).isEqualTo(30);
            }
        }
    }

    private static double failures(LedgerMetrics metrics) {
        return metrics.failureCount();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
