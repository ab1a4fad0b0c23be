package dev.switchboard.limits;

import java.util.List;

/**
 * The answer to one request: admitted or not, and the {@code x-ratelimit-*} headers OpenAI sends,
 * for every response of a limited token. Immutable.
 *
 * @param headers name/value pairs, empty for an unlimited token
 * @param retryAfterSeconds when refused, how long until the exhausted budget admits a request
 * @param exhausted when refused, the budget that ran out; null when admitted
 */
public record Decision(boolean allowed, List<String> headers, long retryAfterSeconds, Budget exhausted) {
    /** A per-minute budget of a token. */
    public enum Budget {
        /** Requests per minute ({@code rpm}). */
        REQUESTS,
        /** Prompt plus completion tokens per minute ({@code tpm}). */
        TOKENS
    }

    public static final Decision UNLIMITED = new Decision(true, List.of(), 0, null);

    public Decision {
        headers = List.copyOf(headers);
    }
}
