package dev.switchboard.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class AccessLogTest {
    /** What a logger's handler received: each line, and the thread that handed it over. */
    static final class Received extends Handler {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile CountDownLatch blocked = new CountDownLatch(0);

        @Override
        public void publish(LogRecord record) {
            try {
                blocked.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.add(record.getMessage());
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static Logger logger(Received received) {
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.INFO);
        logger.addHandler(received);
        return logger;
    }

    private static void write(AccessLog log, String id) {
        log.write(new RequestRecord(0, id, null), "POST", "/v1/chat/completions", 200, 0);
    }

    private static List<String> ids(List<String> lines) {
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            ids.add(line.substring(line.indexOf("\"request_id\":\"") + 14, line.indexOf("\",\"trace_id\"")));
        }
        return ids;
    }

    @Test
    void linesReachTheLoggerInOrderFromTheAccessLogsThreadNotTheRequests() throws Exception {
        Received received = new Received();
        List<String> written = new ArrayList<>();
        try (AccessLog log = AccessLog.batched(logger(received), 1_000)) {
            for (int i = 0; i < 500; i++) {
                write(log, "req_" + i);
                written.add("req_" + i);
            }
            assertThat(received.lines).as("handed over after the linger, not as written").hasSizeLessThan(500);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.lines.size() < 500 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(ids(received.lines)).containsExactlyElementsOf(written);
            assertThat(received.threads).containsOnly(AccessLog.THREAD_NAME);
        }
    }

    @Test
    void closingHandsOverWhatIsQueuedAndStopsTheThread() throws Exception {
        Received received = new Received();
        AccessLog log = AccessLog.batched(logger(received), 1_000);
        for (int i = 0; i < 50; i++) {
            write(log, "req_" + i);
        }
        log.close();

        assertThat(received.lines).hasSize(50);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals(AccessLog.THREAD_NAME));
        write(log, "after");
        assertThat(ids(received.lines)).endsWith("after");
    }

    @Test
    void aFullQueueHandsTheLineOverOnTheRequestsThreadAndLosesNothing() throws Exception {
        Received received = new Received();
        received.blocked = new CountDownLatch(1);
        try (AccessLog log = AccessLog.batched(logger(received), 4)) {
            // The thread takes the first line and waits in the handler; four more then fill the queue.
            write(log, "queued_0");
            Thread.sleep(AccessLog.LINGER.toMillis() * 4);
            for (int i = 1; i < 5; i++) {
                write(log, "queued_" + i);
            }
            Thread writer = new Thread(() -> write(log, "overflow"), "request-thread");
            writer.start();
            Thread.sleep(200);
            received.blocked.countDown();
            writer.join(5_000);
        }
        assertThat(ids(received.lines)).containsExactlyInAnyOrder("queued_0", "queued_1", "queued_2", "queued_3",
                "queued_4", "overflow");
        assertThat(received.threads.get(ids(received.lines).indexOf("overflow"))).isEqualTo("request-thread");
    }

    @Test
    void aDirectLogHandsEachLineOverAtOnceAndAnOffLoggerFormatsNothing() {
        Received received = new Received();
        Logger logger = logger(received);
        AccessLog log = AccessLog.direct(logger);
        write(log, "now");
        assertThat(ids(received.lines)).containsExactly("now");
        assertThat(received.threads).containsExactly(Thread.currentThread().getName());

        logger.setLevel(Level.WARNING);
        write(log, "off");
        assertThat(received.lines).hasSize(1);
    }
}
