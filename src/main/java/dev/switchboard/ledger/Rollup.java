package dev.switchboard.ledger;

import java.util.Collection;
import java.util.List;

/**
 * The daily rollup tables: the full one per token, team, model and provider, and two narrower
 * ones the writer keeps with it in the same transaction, so that a usage report reads the
 * narrowest table that holds its groups: a year of a fleet's days is 1.46 million full rows but
 * 73,000 per token or per team and model (docs/spend.md#how-fast-the-usage-api-answers). Listed
 * in the order a batch adds to them (with the rows of each in key order), so that nodes writing
 * at once take their locks in one order. Stateless.
 */
enum Rollup {
    FULL("ledger_daily", List.of(UsageQuery.GroupBy.TOKEN, UsageQuery.GroupBy.TEAM, UsageQuery.GroupBy.MODEL,
            UsageQuery.GroupBy.PROVIDER)),
    TOKEN("ledger_daily_by_token", List.of(UsageQuery.GroupBy.TOKEN, UsageQuery.GroupBy.TEAM)),
    TEAM_MODEL("ledger_daily_by_team_model", List.of(UsageQuery.GroupBy.TEAM, UsageQuery.GroupBy.MODEL,
            UsageQuery.GroupBy.PROVIDER));

    /** What every rollup sums, in the order of its columns after the key. */
    static final List<String> MEASURES = List.of("requests", "input_tokens", "output_tokens", "cached_tokens",
            "cache_write_tokens", "reasoning_tokens", "cost_usd", "estimated_requests");

    final String table;
    /** The key's columns after {@code usage_day}, in primary-key order. */
    final List<UsageQuery.GroupBy> groups;

    Rollup(String table, List<UsageQuery.GroupBy> groups) {
        this.table = table;
        this.groups = groups;
    }

    /** The key's columns, {@code usage_day} first. */
    List<String> keyColumns() {
        List<String> columns = new java.util.ArrayList<>();
        columns.add("usage_day");
        for (UsageQuery.GroupBy group : groups) {
            columns.add(group.column);
        }
        return columns;
    }

    /** The smallest rollup whose key holds every one of {@code groups}: the narrow ones first. */
    static Rollup narrowest(Collection<UsageQuery.GroupBy> groups) {
        for (Rollup rollup : List.of(TEAM_MODEL, TOKEN)) {
            if (rollup.groups.containsAll(groups)) {
                return rollup;
            }
        }
        return FULL;
    }
}
