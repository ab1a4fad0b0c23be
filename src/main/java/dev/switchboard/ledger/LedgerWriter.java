package dev.switchboard.ledger;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes ledger rows off the request path (docs/spend.md#the-ledger): requests hand their row to
 * a bounded queue without waiting ({@link #offer}); one thread of its own takes rows in batches
 * (waiting {@link #LINGER} for a batch to fill) and writes each batch, with its additions to the
 * daily rollups, in one transaction. When the
 * queue is full the row is dropped and counted, never waited for. When the database does not
 * answer, the batch in hand is tried again with a growing pause while the queue fills; rows
 * arriving once it is full are dropped and counted. On {@link #close} the queue is written out,
 * for as long as {@link #FLUSH_DEADLINE} allows.
 *
 * <p>The same thread migrates the schema first (a database that is down at start is waited for
 * without holding up the application), deletes raw rows past retention every hour, and calls
 * the listener's {@code reconcile} every {@link #DEFAULT_RECONCILE_INTERVAL}, after the batches
 * it has written, so that what the listener reads from the database and what it was told was
 * written never overlap. Shared; thread-safe.
 */
public final class LedgerWriter implements AutoCloseable {
    /** Rows the queue holds: at about 400 bytes a row, 20 MB at most, and minutes of traffic at 100 requests a second. */
    public static final int DEFAULT_CAPACITY = 50_000;
    /** Rows per transaction. */
    public static final int BATCH = 500;
    /**
     * How long the writer waits, once a row has come, for more to fill its batch: a batch costs
     * about the same whatever its size, so writing each row as it comes cost the writer several
     * times more per row under load than batches of hundreds (docs/spend.md#the-ledger). Rows reach
     * the database this much later; the budgets count them in memory at once.
     */
    public static final Duration LINGER = Duration.ofMillis(100);
    /** How often the listener reconciles with the database. */
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(5);
    /** How long {@link #close} may spend writing out the queue. */
    public static final Duration FLUSH_DEADLINE = Duration.ofSeconds(5);
    static final Duration RETENTION_EVERY = Duration.ofHours(1);
    /** The shortest time between two reconciliations asked for with {@link #reconcileSoon}: one query per budget each. */
    static final Duration ASKED_GAP = Duration.ofSeconds(1);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration STOPPING_PAUSE = Duration.ofMillis(200);
    private static final Logger LOG = LoggerFactory.getLogger("switchboard.ledger");

    /** Told on the writer's thread what was written, and asked to reconcile. */
    public interface Listener {
        /** These rows are committed. */
        void written(List<LedgerRow> rows);

        /** Reads what it needs from the database; called every reconcile interval while the database answers. */
        void reconcile(LedgerStore store) throws SQLException;
    }

    private final Database database;
    private final BlockingQueue<LedgerRow> queue;
    private final Listener listener;
    private final LedgerMetrics metrics;
    private final Clock clock;
    private final Duration retention;
    private final Duration reconcileInterval;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean abandon;
    private volatile LedgerStore store;
    /** Whether a reconciliation was asked for before its interval is up. */
    private volatile boolean reconcileAsked;
    /** Whether the last statement failed, so that an outage is logged once and its end once. */
    private boolean failing;

    public LedgerWriter(Database database, int capacity, Duration retention, Duration reconcileInterval,
                        Listener listener, LedgerMetrics metrics, Clock clock) {
        this.database = database;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.listener = listener;
        this.metrics = metrics;
        this.clock = clock;
        this.retention = retention;
        this.reconcileInterval = reconcileInterval;
        this.thread = new Thread(this::run, "switchboard-ledger");
        thread.setDaemon(true);
    }

    /** Starts the writer's thread; rows offered before are kept. */
    public LedgerWriter start() {
        thread.start();
        return this;
    }

    /** Queues a row without waiting; a full queue drops it and counts it. Returns whether it was queued. */
    public boolean offer(LedgerRow row) {
        if (queue.offer(row)) {
            return true;
        }
        metrics.rows(LedgerMetrics.Outcome.DROPPED_QUEUE_FULL, 1);
        return false;
    }

    /**
     * Asks for the listener's next reconciliation without waiting for its interval: it runs
     * within about a second (the writer's thread waits at most that long for rows), and at most
     * once per {@link #ASKED_GAP} however often it is asked. Never blocks.
     */
    public void reconcileSoon() {
        reconcileAsked = true;
    }

    /** The store, once the schema is migrated; null before. */
    public LedgerStore store() {
        return store;
    }

    private void run() {
        List<LedgerRow> batch = new ArrayList<>(BATCH);
        Duration backoff = FIRST_BACKOFF;
        Instant nextReconcile = Instant.MIN;
        Instant lastReconcile = Instant.MIN;
        Instant nextRetention = Instant.MIN;
        while (!abandon) {
            boolean stopping = stop.getCount() == 0;
            if (stopping && batch.isEmpty() && queue.isEmpty()) {
                break;
            }
            try {
                if (store == null) {
                    store = new LedgerStore(database, database.migrate());
                    LOG.info("Ledger database ready: {}", database.description());
                }
                if (batch.isEmpty()) {
                    take(batch, stopping);
                }
                if (!batch.isEmpty()) {
                    store.write(batch);
                    metrics.rows(LedgerMetrics.Outcome.WRITTEN, batch.size());
                    listener.written(List.copyOf(batch));
                    batch.clear();
                }
                Instant now = clock.instant();
                if (!stopping && !now.isBefore(nextRetention)) {
                    long deleted = store.deleteBefore(now.minus(retention));
                    if (deleted > 0) {
                        LOG.info("Ledger retention: deleted {} raw row(s) older than {} days", deleted, retention.toDays());
                    }
                    nextRetention = now.plus(RETENTION_EVERY);
                }
                if (!now.isBefore(nextReconcile) || reconcileAsked && !now.isBefore(lastReconcile.plus(ASKED_GAP))) {
                    reconcileAsked = false;
                    listener.reconcile(store);
                    lastReconcile = now;
                    nextReconcile = now.plus(reconcileInterval);
                }
                answered();
                backoff = FIRST_BACKOFF;
            } catch (SQLException | RuntimeException e) {
                failed(e);
                if (pause(backoff)) {
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            } catch (InterruptedException e) {
                break;
            }
            metrics.queued(queue.size());
        }
        int lost = batch.size() + queue.size();
        if (lost > 0) {
            metrics.rows(LedgerMetrics.Outcome.DROPPED_AT_SHUTDOWN, lost);
            LOG.warn("Ledger stopping: {} row(s) could not be written before the {} s deadline and are lost", lost,
                    FLUSH_DEADLINE.toSeconds());
        }
    }

    /**
     * Waits up to a second for rows (not at all when stopping), then takes up to a batch; a batch
     * not full yet is given {@link #LINGER} to fill, cut short when the writer is stopping.
     */
    private void take(List<LedgerRow> batch, boolean stopping) throws InterruptedException {
        LedgerRow first = stopping ? queue.poll() : queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        if (batch.size() < BATCH && !stopping) {
            stop.await(LINGER.toMillis(), TimeUnit.MILLISECONDS);
            queue.drainTo(batch, BATCH - batch.size());
        }
    }

    /**
     * Waits before trying again: the backoff, or a short pause while {@link #close} waits for the
     * queue. Returns whether the backoff should grow.
     */
    private boolean pause(Duration backoff) {
        try {
            if (stop.getCount() == 0) {
                Thread.sleep(STOPPING_PAUSE.toMillis());
                return false;
            }
            return !stop.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            abandon = true;
            return false;
        }
    }

    private void answered() {
        metrics.answered();
        if (failing) {
            failing = false;
            LOG.info("Ledger database answers again; writing the {} queued row(s)", queue.size());
        }
    }

    private void failed(Exception e) {
        metrics.failure();
        if (!failing) {
            failing = true;
            // The message of a driver's exception names a host at most, never a password.
            LOG.warn("Ledger database does not answer ({}); requests go on, rows wait in the queue (at most {}) and"
                    + " are tried again", e.getClass().getSimpleName() + ": " + e.getMessage(), queue.remainingCapacity() + queue.size());
        }
    }

    /** Writes out the queue within {@link #FLUSH_DEADLINE}, then stops the thread; what is left is counted as lost. */
    @Override
    public void close() {
        stop.countDown();
        if (!thread.isAlive()) {
            return;
        }
        try {
            thread.join(FLUSH_DEADLINE.toMillis());
            if (thread.isAlive()) {
                abandon = true;
                thread.interrupt();
                thread.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
