package dev.switchboard.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One answered request as the ledger keeps it (docs/spend.md#the-ledger). Immutable.
 *
 * @param time when the request arrived
 * @param team the token's team, or null
 * @param requestedModel the model the client asked for (an alias or an id), or null
 * @param model the configured model that served it, or {@code none}
 * @param inputTokens every input token, cached ones included
 * @param outputTokens every output token, reasoning included
 * @param cachedTokens input tokens read from the provider's cache
 * @param cacheWriteTokens input tokens written to the provider's cache
 * @param reasoningTokens output tokens spent on reasoning
 * @param costUsd what the request cost, in US dollars
 * @param estimated whether the usage behind the cost was estimated rather than reported by the provider
 * @param ttftMs milliseconds to the first token, or -1 when none came
 */
public record LedgerRow(Instant time, String requestId, String token, String team, String requestedModel,
                        String model, String provider, long inputTokens, long outputTokens, long cachedTokens,
                        long cacheWriteTokens, long reasoningTokens, BigDecimal costUsd, boolean estimated,
                        int status, int attempts, long durationMs, long ttftMs) {
    private static final long SECONDS_PER_DAY = 86_400;
    /** Longest text kept in a name column: the schema's width. */
    static final int MAX_NAME = 256;

    public LedgerRow {
        costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
        requestId = clip(requestId == null ? "" : requestId, 128);
        token = clip(token, MAX_NAME);
        team = clip(team, MAX_NAME);
        requestedModel = clip(requestedModel, MAX_NAME);
        model = clip(model, MAX_NAME);
        provider = clip(provider, MAX_NAME);
    }

    /**
     * The UTC day the row counts for, in the rollups and the budgets. Counted from the epoch:
     * {@code LocalDate.ofInstant} asks {@code ZoneOffset.UTC} for its rules, a new {@code ZoneRules}
     * at every call on Java 17, which was most of its cost, paid once per rollup per row by the
     * ledger's writer (bench/results/accounting.md).
     */
    public LocalDate day() {
        return LocalDate.ofEpochDay(Math.floorDiv(time.getEpochSecond(), SECONDS_PER_DAY));
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
