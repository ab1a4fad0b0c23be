package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrafficTest {
    @Test
    void theShutdownWaitsForARequestWhoseExchangeIsOverButWhoseLastLineIsNotWritten() throws Exception {
        Traffic traffic = new Traffic();
        traffic.entered();
        AtomicInteger ended = new AtomicInteger();
        Traffic.LiveExchange exchange = ended::incrementAndGet;
        traffic.started(exchange);
        // The exchange's completion callback has run; its access-log line has not.
        traffic.finished(exchange);

        long start = System.nanoTime();
        assertThat(traffic.drain(300, 0)).as("no exchange left to end").isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("waited for the request still inside the application").isGreaterThanOrEqualTo(300);

        traffic.left();
        start = System.nanoTime();
        traffic.drain(30_000, 0);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("quiet at once").isLessThan(30_000);
        assertThat(ended).hasValue(0);
    }

    @Test
    void exchangesStillRunningAfterTheGraceAreEnded() throws Exception {
        Traffic traffic = new Traffic();
        AtomicInteger ended = new AtomicInteger();
        traffic.started(ended::incrementAndGet);
        assertThat(traffic.drain(0, 0)).isEqualTo(1);
        assertThat(ended).hasValue(1);
    }
}
