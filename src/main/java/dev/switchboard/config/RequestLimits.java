package dev.switchboard.config;

/**
 * The {@code requests} section: how slowly a client may send its body, how many exchanges the
 * node holds at once and how long a stream may last (docs/hostile-clients.md). Immutable.
 *
 * @param bodyIdleMs longest silence while a request body arrives; then 408
 * @param bodyGraceMs time a body gets before its average rate counts
 * @param bodyMinBytesPerSecond slowest average rate a body may arrive at once {@code bodyGraceMs}
 *     has passed (each byte buys {@code 1/bodyMinBytesPerSecond} s more); then 408
 * @param maxInFlight exchanges the node holds at once; more are refused with 503
 * @param maxStreamMs longest a stream may run before it ends with an error event, or 0 for no limit
 */
public record RequestLimits(long bodyIdleMs, long bodyGraceMs, long bodyMinBytesPerSecond, int maxInFlight,
                            long maxStreamMs) {
    /** As Tomcat's stock {@code connectionTimeout}: a client that sends nothing for this long is gone. */
    public static final long DEFAULT_BODY_IDLE_MS = 20_000;
    /** As Apache httpd's mod_reqtimeout {@code body=20}. */
    public static final long DEFAULT_BODY_GRACE_MS = 20_000;
    /**
     * As mod_reqtimeout's {@code MinRate=500}: a 32 MiB body at 500 B/s would take 18 hours, so
     * any real link passes, while a byte every few seconds fails once the grace is over.
     */
    public static final long DEFAULT_BODY_MIN_BYTES_PER_SECOND = 500;
    /**
     * The fewest exchanges the default allows: the benchmark holds 5,000 live streams in a 1 GB
     * heap (bench/README.md).
     */
    public static final int MIN_DEFAULT_MAX_IN_FLIGHT = 5_000;
    /** Heap one live exchange is budgeted at when the default is sized to the heap. */
    public static final long HEAP_BYTES_PER_EXCHANGE = 200L * 1024;
    /** No limit on how long a stream runs (the providers' idle timeouts still apply). */
    public static final long DEFAULT_MAX_STREAM_MS = 0;

    /** The defaults for a JVM whose largest heap is {@code maxHeapBytes}. */
    public static RequestLimits defaults(long maxHeapBytes) {
        return new RequestLimits(DEFAULT_BODY_IDLE_MS, DEFAULT_BODY_GRACE_MS, DEFAULT_BODY_MIN_BYTES_PER_SECOND,
                defaultMaxInFlight(maxHeapBytes), DEFAULT_MAX_STREAM_MS);
    }

    /** The defaults for this JVM. */
    public static RequestLimits defaults() {
        return defaults(Runtime.getRuntime().maxMemory());
    }

    /** One exchange per {@link #HEAP_BYTES_PER_EXCHANGE} of heap, and never fewer than {@link #MIN_DEFAULT_MAX_IN_FLIGHT}. */
    public static int defaultMaxInFlight(long maxHeapBytes) {
        long sized = maxHeapBytes == Long.MAX_VALUE ? Integer.MAX_VALUE : maxHeapBytes / HEAP_BYTES_PER_EXCHANGE;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_DEFAULT_MAX_IN_FLIGHT, sized));
    }
}
