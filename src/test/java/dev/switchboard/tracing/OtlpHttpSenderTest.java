package dev.switchboard.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The export's time budget across its retries (docs/operations.md#tracing). */
class OtlpHttpSenderTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** What the SDK passes for {@code OTEL_EXPORTER_OTLP_TIMEOUT=0}: no limit. */
    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Test
    void aRetryWithinTheTimeoutWaitsAndOneBeyondItDoesNot() {
        long start = 5 * SECOND;
        assertThat(OtlpHttpSender.pastTimeout(start, start + SECOND, SECOND, 10 * SECOND)).isFalse();
        assertThat(OtlpHttpSender.pastTimeout(start, start + 9 * SECOND, SECOND, 10 * SECOND)).isTrue();
    }

    @Test
    void anExporterWithoutATimeoutRetries() {
        long start = 5 * SECOND;
        assertThat(OtlpHttpSender.pastTimeout(start, start + SECOND, SECOND, NO_LIMIT)).isFalse();
        // Even a Retry-After of Long.MAX_VALUE seconds (saturated to as many nanoseconds) is not waited for.
        assertThat(OtlpHttpSender.pastTimeout(start, start + SECOND, Long.MAX_VALUE, NO_LIMIT)).isTrue();
    }

    @Test
    void theClockWrappingDuringAnExportChangesNothing() {
        long start = Long.MAX_VALUE - SECOND;
        long now = start + 2 * SECOND; // wrapped to a negative value: System.nanoTime's origin is arbitrary
        assertThat(OtlpHttpSender.pastTimeout(start, now, SECOND, 10 * SECOND)).isFalse();
        assertThat(OtlpHttpSender.pastTimeout(start, now, 8 * SECOND, 10 * SECOND)).isTrue();
    }
}
