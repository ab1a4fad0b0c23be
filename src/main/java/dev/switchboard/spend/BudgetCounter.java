package dev.switchboard.spend;

import dev.switchboard.config.BudgetPeriod;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The spend of one token or team in its budget's current period, in pico-dollars (exact sums), kept in memory: what the
 * database held at the last reconciliation plus what this node has written since (both changed
 * by the ledger's thread only), plus what this node's requests spent that is not written yet
 * (added by requests, without a lock). Shared; thread-safe.
 */
final class BudgetCounter {
    /** One period's figures; replaced whole when the period turns. */
    private static final class Period {
        final LocalDate start;
        volatile long base;
        volatile boolean seeded;
        final LongAdder unwritten = new LongAdder();

        Period(LocalDate start) {
            this.start = start;
        }
    }

    private final BudgetPeriod period;
    private final AtomicReference<Period> current;

    BudgetCounter(BudgetPeriod period, LocalDate today) {
        this.period = period;
        this.current = new AtomicReference<>(new Period(period.start(today)));
    }

    private Period on(LocalDate today) {
        LocalDate start = period.start(today);
        Period now = current.get();
        while (now.start.isBefore(start)) {
            current.compareAndSet(now, new Period(start));
            now = current.get();
        }
        return now;
    }

    /** The spend of the period that holds {@code today}. */
    long spent(LocalDate today) {
        Period now = on(today);
        return now.base + now.unwritten.sum();
    }

    /** The first day of the period that holds {@code today}. */
    LocalDate start(LocalDate today) {
        return on(today).start;
    }

    /** A request of {@code day} spent {@code pico} pico-dollars; its row is on its way to the database. */
    void spend(LocalDate day, long pico) {
        Period now = current.get();
        if (!day.isBefore(now.start)) {
            on(day).unwritten.add(pico);
        }
    }

    /** The row of a request of {@code day} that spent {@code pico} is committed. Ledger thread only. */
    void written(LocalDate day, long pico) {
        Period now = current.get();
        if (!day.isBefore(now.start)) {
            // Added before it is taken away: a reader may count it twice for a moment, never miss it.
            now.base += pico;
            now.unwritten.add(-pico);
        }
    }

    /** The database holds {@code pico} for the period starting on {@code start}. Ledger thread only. */
    void reconciled(LocalDate start, long pico) {
        Period now = on(start);
        if (now.start.equals(start)) {
            now.base = pico;
            now.seeded = true;
        }
    }

    boolean seeded(LocalDate today) {
        return on(today).seeded;
    }

    BudgetPeriod period() {
        return period;
    }
}
