package dev.switchboard.web;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exchanges in flight, so that a shutdown can wait for them and then end the rest, and the
 * requests still inside the application, so that it stops only after their last line is written.
 * Shared; per node.
 */
public final class Traffic {
    private static final Logger LOG = LoggerFactory.getLogger(Traffic.class);
    /** An exchange the shutdown can end. */
    public interface LiveExchange {
        /** Ends the exchange because the application is stopping: an error event if streaming. */
        void endForShutdown();

        /**
         * The watchdog's look, every {@code periodMillis}: ends the exchange if it has made no
         * progress past its deadlines.
         *
         * @return whether it ended the exchange now
         */
        default boolean watch(long periodMillis) {
            return false;
        }
    }

    private final Set<LiveExchange> live = ConcurrentHashMap.newKeySet();
    /**
     * Requests between the access-log filter's start and its last line. An exchange leaves
     * {@link #live} in its completion callback, before the access log, metrics and ledger row of
     * the same callback run on that container thread: a shutdown that went on at that moment would
     * close the ledger under the row and leave Tomcat to find the thread still inside the application.
     */
    private final AtomicInteger requests = new AtomicInteger();

    public void started(LiveExchange exchange) {
        live.add(exchange);
    }

    public void finished(LiveExchange exchange) {
        live.remove(exchange);
    }

    /** A request has entered the application (the access-log filter). */
    void entered() {
        requests.incrementAndGet();
    }

    /** That request's last work, its access-log line, metrics and ledger row, is done. */
    void left() {
        requests.decrementAndGet();
    }

    public int count() {
        return live.size();
    }

    /**
     * One round of the watchdog: each exchange in flight looks whether it has moved since the
     * last round, {@code periodMillis} ago (docs/hostile-clients.md#every-exchange-ends).
     *
     * @return how many exchanges it ended
     */
    public int watch(long periodMillis) {
        int ended = 0;
        for (LiveExchange exchange : live) {
            try {
                if (exchange.watch(periodMillis)) {
                    ended++;
                }
            } catch (Throwable e) {
                LOG.error("the watchdog failed on an exchange", e);
            }
        }
        return ended;
    }

    /**
     * Waits up to {@code graceMillis} for the exchanges in flight to finish on their own, then ends
     * the others and waits up to {@code flushMillis} for them to go. Blocks the calling thread,
     * which is the container's, stopping the application.
     *
     * @return how many exchanges had to be ended
     */
    public int drain(long graceMillis, long flushMillis) throws InterruptedException {
        waitForQuiet(graceMillis);
        int ended = 0;
        for (LiveExchange exchange : live) {
            exchange.endForShutdown();
            ended++;
        }
        waitForQuiet(flushMillis);
        return ended;
    }

    private void waitForQuiet(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while ((!live.isEmpty() || requests.get() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** How often the shutdown looks whether the streams in flight are done. */
    static final long POLL_MILLIS = 50;
}
