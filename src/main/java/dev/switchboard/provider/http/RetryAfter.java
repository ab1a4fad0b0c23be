package dev.switchboard.provider.http;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads how long a provider asked us to wait: {@code retry-after-ms} (milliseconds, the
 * non-standard header OpenAI's SDKs prefer) or {@code Retry-After} (RFC 9110 §10.2.3: seconds or
 * an HTTP date). Stateless.
 */
public final class RetryAfter {
    /** No usable value. */
    public static final long UNKNOWN = -1;

    private RetryAfter() {
    }

    public static long millis(String retryAfter, String retryAfterMs, long nowEpochMillis) {
        if (retryAfterMs != null) {
            try {
                double value = Double.parseDouble(retryAfterMs.trim());
                if (value >= 0 && Double.isFinite(value)) {
                    return (long) Math.ceil(value);
                }
            } catch (NumberFormatException e) {
                // Fall back to Retry-After.
            }
        }
        return millis(retryAfter, nowEpochMillis);
    }

    public static long millis(String retryAfter, long nowEpochMillis) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return UNKNOWN;
        }
        String value = retryAfter.trim();
        try {
            double seconds = Double.parseDouble(value);
            return seconds >= 0 && Double.isFinite(seconds) ? (long) Math.ceil(seconds * 1000) : UNKNOWN;
        } catch (NumberFormatException e) {
            try {
                long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Math.max(0, at - nowEpochMillis);
            } catch (DateTimeParseException notADate) {
                return UNKNOWN;
            }
        }
    }
}
