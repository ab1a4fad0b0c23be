import java.util.Map;
import java.util.TreeMap;

/** Latency counts by microsecond, mergeable across runs and slices. Not thread-safe. */
final class Histogram {
    private final TreeMap<Long, Long> counts = new TreeMap<>();
    private long total;

    void add(long micros, long count) {
        counts.merge(micros, count, Long::sum);
        total += count;
    }

    void merge(Histogram other) {
        other.counts.forEach(this::add);
    }

    void addNanos(long[] nanos) {
        for (long n : nanos) {
            add(n / 1000, 1);
        }
    }

    static Histogram ofNanos(long[] nanos) {
        Histogram histogram = new Histogram();
        histogram.addNanos(nanos);
        return histogram;
    }

    /**
     * This histogram as wrk 4 reports it for one connection that completed {@code completed}
     * requests (errors included, as wrk counts them) in {@code runMicros}: for every latency of
     * at least twice the mean interval between requests, the requests a steady client would
     * have sent meanwhile are added, at that latency minus one, two, ... intervals (wrk's
     * stats_correct). Roughly, the wait of a request arriving at a random time.
     */
    Histogram correctedForOmission(long runMicros, long completed) {
        Histogram corrected = new Histogram();
        corrected.merge(this);
        if (completed == 0) {
            return corrected;
        }
        long interval = Math.max(1, runMicros / completed);
        counts.forEach((latency, count) -> {
            if (latency >= 2 * interval) {
                for (long missed = latency - interval; missed > interval; missed -= interval) {
                    corrected.add(missed, count);
                }
            }
        });
        return corrected;
    }

    long count() {
        return total;
    }

    /** Nearest-rank percentile, in µs; -1 when empty. */
    long percentile(double p) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100 * total));
        long seen = 0;
        for (Map.Entry<Long, Long> entry : counts.entrySet()) {
            seen += entry.getValue();
            if (seen >= rank) {
                return entry.getKey();
            }
        }
        return counts.lastKey();
    }
}
