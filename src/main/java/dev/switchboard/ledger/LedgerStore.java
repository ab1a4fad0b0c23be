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
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's SQL: writing a batch (its raw rows and its additions to the daily rollups, in one
 * transaction), deleting raw rows past retention, and reading spend for the budgets. Used from
 * the ledger's own thread only, never from a request. Shared and stateless apart from its database.
 */
public final class LedgerStore {
    /** The raw row's columns, in the order {@link #bind} binds them. */
    static final String COLUMNS = "occurred_at, request_id, token_name, team, requested_model, model, provider,"
            + " input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, cost_usd, estimated,"
            + " status, attempts, duration_ms, ttft_ms";
    /** Parameters of one raw row. */
    static final int PARAMETERS = 18;
    /**
     * Raw rows per {@code INSERT} of a full batch's statement. A JDBC batch of one-row statements
     * runs each as a statement of its own: on H2 its start and end in the transaction, its
     * parameters copied and converted once more; PostgreSQL parses and plans each. One statement
     * of many rows pays that once (bench/results/accounting.md). A fixed number of rows keeps one
     * statement text, which both databases keep prepared per connection; {@value} × {@link
     * #PARAMETERS} parameters is well under either's limit.
     */
    static final int ROWS_PER_INSERT = 50;
    static final String INSERT = insert(1);
    static final String INSERT_MANY = insert(ROWS_PER_INSERT);
    /** Ids (so at most as many rows) deleted per statement by retention, so that no one statement holds locks for long. */
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
                insert(connection, rows);
                addToRollups(connection, rows);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Adds the rows to each {@link Rollup}, in {@link Rollup}'s order and each rollup's rows in key order. */
    void addToRollups(Connection connection, List<LedgerRow> rows) throws SQLException {
        Map<Rollup, List<DailyTotal>> totals = DailyTotal.of(rows);
        for (Rollup rollup : Rollup.values()) {
            try (PreparedStatement add = connection.prepareStatement(additions.get(rollup))) {
                for (DailyTotal total : totals.get(rollup)) {
                    total.bind(add);
                    add.addBatch();
                }
                add.executeBatch();
            }
        }
    }

    /**
     * Inserts the raw rows in their order: as many as fill {@link #INSERT_MANY} with it, the rest
     * (fewer than {@link #ROWS_PER_INSERT}) one a statement.
     */
    private static void insert(Connection connection, List<LedgerRow> rows) throws SQLException {
        int many = rows.size() - rows.size() % ROWS_PER_INSERT;
        if (many > 0) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_MANY)) {
                for (int first = 0; first < many; first += ROWS_PER_INSERT) {
                    for (int i = 0; i < ROWS_PER_INSERT; i++) {
                        bind(insert, i * PARAMETERS, rows.get(first + i));
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        if (many < rows.size()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (LedgerRow row : rows.subList(many, rows.size())) {
                    bind(insert, 0, row);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    /** An {@code INSERT} of {@code rows} raw rows. */
    private static String insert(int rows) {
        String row = "(" + String.join(", ", Collections.nCopies(PARAMETERS, "?")) + ")";
        return "INSERT INTO ledger_request (" + COLUMNS + ") VALUES " + String.join(", ", Collections.nCopies(rows, row));
    }

    /** Binds a raw row's {@link #PARAMETERS} parameters, after the statement's first {@code before}. */
    private static void bind(PreparedStatement insert, int before, LedgerRow row) throws SQLException {
        insert.setObject(before + 1, utc(row.time()));
        insert.setString(before + 2, row.requestId());
        insert.setString(before + 3, row.token());
        insert.setString(before + 4, row.team());
        insert.setString(before + 5, row.requestedModel());
        insert.setString(before + 6, row.model());
        insert.setString(before + 7, row.provider());
        insert.setLong(before + 8, row.inputTokens());
        insert.setLong(before + 9, row.outputTokens());
        insert.setLong(before + 10, row.cachedTokens());
        insert.setLong(before + 11, row.cacheWriteTokens());
        insert.setLong(before + 12, row.reasoningTokens());
        insert.setBigDecimal(before + 13, row.costUsd());
        insert.setBoolean(before + 14, row.estimated());
        insert.setInt(before + 15, row.status());
        insert.setInt(before + 16, row.attempts());
        insert.setLong(before + 17, row.durationMs());
        if (row.ttftMs() < 0) {
            insert.setNull(before + 18, Types.BIGINT);
        } else {
            insert.setLong(before + 18, row.ttftMs());
        }
    }

    /**
     * The instant at UTC, from its epoch second: {@code OffsetDateTime.ofInstant} asks the offset
     * for its rules, a new {@code ZoneRules} at every call on Java 17 (see {@link LedgerRow#day}).
     */
    static OffsetDateTime utc(Instant instant) {
        return LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC)
                .atOffset(ZoneOffset.UTC);
    }

    /**
     * Deletes raw rows older than {@code cutoff}, {@link #DELETE_CHUNK} ids at a time; the daily
     * rollups stay. Rows are found by their ids, not their time, so that no index by time need be
     * written with every row (docs/spend.md#the-ledger): ids grow in the order rows are written, and
     * a row's time (its request's arrival) trails the rows written around it by at most its request's
     * duration. A binary search over ids finds where the rows of {@code cutoff} and later begin;
     * below that, rows older than {@code cutoff} go. A row never goes before its time: one written
     * after newer ones (a long request) goes at a later pass, once the rows around it are old too.
     *
     * @return how many rows went
     */
    long deleteBefore(Instant cutoff) throws SQLException {
        OffsetDateTime cut = utc(cutoff);
        long deleted = 0;
        try (Connection connection = database.connection()) {
            long first;
            long end;
            try (PreparedStatement bounds = connection.prepareStatement("SELECT MIN(id), MAX(id) FROM ledger_request");
                 ResultSet result = bounds.executeQuery()) {
                result.next();
                first = result.getLong(1);
                if (result.wasNull()) {
                    return 0;
                }
                end = firstIdFrom(connection, first, result.getLong(2) + 1, cut);
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM ledger_request WHERE id >= ? AND id < ? AND occurred_at < ?")) {
                for (long from = first; from < end; from += DELETE_CHUNK) {
                    delete.setLong(1, from);
                    delete.setLong(2, Math.min(end, from + DELETE_CHUNK));
                    delete.setObject(3, cut);
                    deleted += delete.executeUpdate();
                }
            }
        }
        return deleted;
    }

    /**
     * The least id in {@code [low, high]} from which the first row on is of {@code cut} or later
     * ({@code high} if none is): a binary search of the primary key, one row read per step.
     */
    private static long firstIdFrom(Connection connection, long low, long high, OffsetDateTime cut) throws SQLException {
        try (PreparedStatement next = connection.prepareStatement(
                "SELECT id, occurred_at FROM ledger_request WHERE id >= ? ORDER BY id FETCH FIRST 1 ROWS ONLY")) {
            while (low < high) {
                long middle = low + (high - low) / 2;
                next.setLong(1, middle);
                try (ResultSet row = next.executeQuery()) {
                    if (!row.next() || !row.getObject(2, OffsetDateTime.class).isBefore(cut)) {
                        high = middle;
                    } else {
                        low = row.getLong(1) + 1;
                    }
                }
            }
        }
        return low;
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
