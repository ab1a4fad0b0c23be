package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {
    private static final long NOW = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();

    @ParameterizedTest(name = "Retry-After {0}, retry-after-ms {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
        "7, null, 7000",
        "0, null, 0",
        "1.5, null, 1500",
        "null, 250, 250",
        "7, 250, 250",
        "7, junk, 7000",
        "'Wed, 25 Nov 2026 12:00:30 GMT', null, 30000",
        "'Wed, 25 Nov 2026 11:00:00 GMT', null, 0",
        "soon, null, -1",
        "-3, null, -1",
        "null, null, -1",
        "'', null, -1",
    })
    void readsSecondsDatesAndMilliseconds(String retryAfter, String retryAfterMs, long expected) {
        assertThat(RetryAfter.millis(retryAfter, retryAfterMs, NOW)).isEqualTo(expected);
    }
}
