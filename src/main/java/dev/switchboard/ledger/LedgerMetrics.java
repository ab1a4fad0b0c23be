package dev.switchboard.ledger;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The ledger's Prometheus series (docs/operations.md#metrics): rows written and dropped, the
 * queue's depth, failed batches and whether the database answers. Shared and thread-safe.
 */
public final class LedgerMetrics {
    private final Counter rows;
    private final Counter failures;
    private final Gauge queued;
    private final Gauge up;

    public LedgerMetrics(PrometheusRegistry registry) {
        rows = Counter.builder().name("switchboard_ledger_rows_total")
                .help("Ledger rows by outcome: written to the database, dropped because the queue was full, or"
                        + " dropped at shutdown because the database did not answer")
                .labelNames("outcome").withoutExemplars().register(registry);
        failures = Counter.builder().name("switchboard_ledger_write_failures_total")
                .help("Ledger batches or migrations the database refused or did not answer; the batch is tried again")
                .withoutExemplars().register(registry);
        queued = Gauge.builder().name("switchboard_ledger_queue_rows")
                .help("Ledger rows waiting for the writer").withoutExemplars().register(registry);
        up = Gauge.builder().name("switchboard_ledger_database_up")
                .help("1 while the ledger's database answered its last statement, else 0").withoutExemplars()
                .register(registry);
        rows.labelValues(Outcome.WRITTEN.label).inc(0);
        rows.labelValues(Outcome.DROPPED_QUEUE_FULL.label).inc(0);
        rows.labelValues(Outcome.DROPPED_AT_SHUTDOWN.label).inc(0);
    }

    /** What became of a row. */
    enum Outcome {
        WRITTEN("written"),
        DROPPED_QUEUE_FULL("dropped_queue_full"),
        DROPPED_AT_SHUTDOWN("dropped_at_shutdown");

        final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    void rows(Outcome outcome, long count) {
        rows.labelValues(outcome.label).inc(count);
    }

    void failure() {
        failures.inc();
        up.set(0);
    }

    void answered() {
        up.set(1);
    }

    void queued(int depth) {
        queued.set(depth);
    }

    /** Failed batches and migrations so far. */
    double failureCount() {
        return failures.get();
    }

    /** Rows counted so far with {@code outcome}; for tests and the health of the writer. */
    long count(Outcome outcome) {
        return (long) rows.labelValues(outcome.label).get();
    }
}
