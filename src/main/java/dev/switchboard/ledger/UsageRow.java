package dev.switchboard.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

/**
 * One group's usage on one UTC day, summed from the daily rollups. Immutable.
 *
 * @param groups the value of each grouping asked for (a token of no team has team null)
 */
public record UsageRow(LocalDate day, Map<UsageQuery.GroupBy, String> groups, long requests, long inputTokens,
                       long outputTokens, long cachedTokens, long cacheWriteTokens, long reasoningTokens,
                       BigDecimal costUsd) {
}
