package dev.switchboard.web;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;

/**
 * The {@code next_page} cursor: opaque to clients, as OpenAI's is; it names the first day of
 * the next page (the query's other parameters come again with it). Stateless.
 */
final class UsageCursor {
    private static final String PREFIX = "page_";

    private UsageCursor() {
    }

    static String of(LocalDate day) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                day.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The day a cursor names, or null when it is not one of ours. */
    static LocalDate day(String cursor) {
        if (!cursor.startsWith(PREFIX) || cursor.length() > 64) {
            return null;
        }
        try {
            return LocalDate.parse(new String(Base64.getUrlDecoder().decode(cursor.substring(PREFIX.length())),
                    StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return null;
        }
    }
}
