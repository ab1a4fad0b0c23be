package dev.switchboard.ledger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's SQL: writing a batch (its raw rows and its additions to the daily rollups, in one
 * transaction), deleting raw rows past retention, and reading spend for the budgets. Used from
 * the ledger's own thread only, never from a request. Shared and stateless apart from its database.
 */
public final class LedgerStore {
    static final String INSERT = """
            INSERT INTO ledger_request (occurred_at, request_id, token_name, team, requested_model, model, provider,
                input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, cost_usd, estimated,
                status, attempts, duration_ms, ttft_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    /** Rows deleted per statement by retention, so that no one statement holds locks for long. */
    static final int DELETE_CHUNK = 10_000;
    /** The team column of a daily row for a token of no team (a primary key column cannot be null). */
    public static final String NO_TEAM = "";

    private final Database database;
    /** Each rollup's addition statement in this dialect, built once: every batch uses all of them. */
    private final Map<Rollup, String> additions = new EnumMap<>(Rollup.class);

    LedgerStore(Database database, Dialect dialect) {
        this.database = database;
        for (Rollup rollup : Rollup.values()) {
            additions.put(rollup, dialect.addTo(rollup));
        }
    }

    /** Writes the rows and adds them to their daily rollups (each {@link Rollup}), all or nothing. */
    void write(List<LedgerRow> rows) throws SQLException {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    for (LedgerRow row : rows) {
                        bind(insert, row);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                for (Rollup rollup : Rollup.values()) {
                    try (PreparedStatement add = connection.prepareStatement(additions.get(rollup))) {
                        for (DailyTotal total : DailyTotal.of(rows, rollup)) {
                            total.bind(add);
                            add.addBatch();
                        }
                        add.executeBatch();
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static void bind(PreparedStatement insert, LedgerRow row) throws SQLException {
        insert.setObject(1, OffsetDateTime.ofInstant(row.time(), ZoneOffset.UTC));
        insert.setString(2, row.requestId());
        insert.setString(3, row.token());
        insert.setString(4, row.team());
        insert.setString(5, row.requestedModel());
        insert.setString(6, row.model());
        insert.setString(7, row.provider());
        insert.setLong(8, row.inputTokens());
        insert.setLong(9, row.outputTokens());
        insert.setLong(10, row.cachedTokens());
        insert.setLong(11, row.cacheWriteTokens());
        insert.setLong(12, row.reasoningTokens());
        insert.setBigDecimal(13, row.costUsd());
        insert.setBoolean(14, row.estimated());
        insert.setInt(15, row.status());
        insert.setInt(16, row.attempts());
        insert.setLong(17, row.durationMs());
        if (row.ttftMs() < 0) {
            insert.setNull(18, Types.BIGINT);
        } else {
            insert.setLong(18, row.ttftMs());
        }
    }

    /**
     * Deletes raw rows older than {@code cutoff}, a chunk at a time; the daily rollups stay.
     *
     * @return how many rows went
     */
    long deleteBefore(Instant cutoff) throws SQLException {
        long deleted = 0;
        try (Connection connection = database.connection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM ledger_request WHERE id IN"
                     + " (SELECT id FROM ledger_request WHERE occurred_at < ? FETCH FIRST " + DELETE_CHUNK + " ROWS ONLY)")) {
            delete.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            int count;
            do {
                count = delete.executeUpdate();
                deleted += count;
            } while (count == DELETE_CHUNK);
        }
        return deleted;
    }

    /** What a token has spent from {@code since} (a UTC day) on, from the daily rollups. */
    public BigDecimal tokenSpend(String token, LocalDate since) throws SQLException {
        return spend("SELECT SUM(cost_usd) FROM ledger_daily WHERE token_name = ? AND usage_day >= ?", token, since);
    }

    /** What a team's tokens have spent from {@code since} on, from the daily rollups. */
    public BigDecimal teamSpend(String team, LocalDate since) throws SQLException {
        return spend("SELECT SUM(cost_usd) FROM ledger_daily WHERE team = ? AND usage_day >= ?", team, since);
    }

    private BigDecimal spend(String sql, String name, LocalDate since) throws SQLException {
        try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, name);
            query.setDate(2, Date.valueOf(since));
            try (ResultSet result = query.executeQuery()) {
                BigDecimal sum = result.next() ? result.getBigDecimal(1) : null;
                return sum == null ? BigDecimal.ZERO : sum;
            }
        }
    }
}
