package dev.switchboard.ledger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Answers the usage API from the daily rollups, the narrowest that holds the groups asked for
 * (docs/spend.md#the-usage-api), on a thread of its
 * own, never a container thread: one query at a time, at most {@link #MAX_WAITING} waiting, more
 * refused at once. A report holds at most {@link #MAX_RESULTS} results, in whole days: the days
 * after them are the next page's (docs/spend.md#pages). Shared; one per deployed context.
 */
public final class UsageReports implements AutoCloseable {
    /** Reports queued behind the one running; the usage API is for a few administrators, not for traffic. */
    public static final int MAX_WAITING = 8;
    /**
     * The most results one report holds, unless one day alone has more: 9 to 18 MB of JSON, so
     * that a page of a wide grouping (a result per token and model and day) neither holds the
     * gateway's memory nor its one report thread for long (docs/spend.md#pages).
     */
    public static final int MAX_RESULTS = 50_000;
    /**
     * The longest one statement of a report may run before the driver cancels it and the report
     * fails (a 503, as for a database that does not answer): some twenty times the slowest page
     * measured on a loaded machine (docs/spend.md#how-fast-the-usage-api-answers), so only a stuck
     * database (a lock, a failover) reaches it, and the one report thread is free again for the
     * reports waiting behind it.
     */
    public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What a report found: its rows by day, and the day after the last one it covers, which is
     * the query's end unless {@link #MAX_RESULTS} cut it short. Immutable.
     */
    public record Report(List<UsageRow> rows, LocalDate to) {
        public Report {
            rows = List.copyOf(rows);
        }
    }

    private final Database database;
    private final ThreadPoolExecutor executor;
    /** {@link #QUERY_TIMEOUT} in JDBC's whole seconds. */
    private final int queryTimeoutSeconds;

    public UsageReports(Database database) {
        this(database, QUERY_TIMEOUT);
    }

    UsageReports(Database database, Duration queryTimeout) {
        this.database = database;
        this.queryTimeoutSeconds = (int) Math.max(1, queryTimeout.toSeconds());
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_WAITING),
                task -> {
                    Thread thread = new Thread(task, "switchboard-usage");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * The rows of {@code query}, by day, for as many whole days as {@link #MAX_RESULTS} allows;
     * fails with {@link RejectedExecutionException} when too many wait.
     */
    public CompletableFuture<Report> report(UsageQuery query) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return run(query);
                } catch (SQLException e) {
                    throw new IllegalStateException("the ledger's database did not answer: " + e.getClass().getSimpleName(), e);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The statement answering {@code query}, from the narrowest rollup that holds its groups; its
     * parameters are the first day, the day after the last, and the most rows to return.
     */
    static String sql(UsageQuery query) {
        return sql(query, Rollup.narrowest(query.groupBy()));
    }

    /**
     * The statement answering {@code query} from {@code rollup}, which must hold its groups. Its
     * {@code LIMIT} lets the database stop once a page is full, when its plan reads the rollup in
     * the order asked for (each rollup's primary key starts with the day), rather than group every
     * day asked for.
     */
    static String sql(UsageQuery query, Rollup rollup) {
        StringBuilder columns = new StringBuilder();
        for (UsageQuery.GroupBy group : query.groupBy()) {
            columns.append(", ").append(group.column);
        }
        return "SELECT usage_day" + columns + ", SUM(requests), SUM(input_tokens), SUM(output_tokens),"
                + " SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(cost_usd)"
                + " FROM " + rollup.table
                + " WHERE usage_day >= ? AND usage_day < ? GROUP BY usage_day" + columns
                + " ORDER BY usage_day" + columns + " LIMIT ?";
    }

    Report run(UsageQuery query) throws SQLException {
        return run(query, Rollup.narrowest(query.groupBy()), MAX_RESULTS);
    }

    /**
     * Reads at most {@code maxResults} rows, one more to see whether the last day is complete: when
     * it is not, its rows go and the report ends before it; when the first day alone has more, it is
     * read whole.
     */
    Report run(UsageQuery query, Rollup rollup, int maxResults) throws SQLException {
        List<UsageRow> rows = new ArrayList<>();
        LocalDate to = query.to();
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                for (String setting : Dialect.of(connection).reportSettings()) {
                    try (java.sql.Statement set = connection.createStatement()) {
                        set.execute(setting);
                    }
                }
                read(connection, query, rollup, maxResults + 1, rows);
                if (rows.size() > maxResults) {
                    LocalDate cut = rows.get(maxResults).day();
                    rows.removeIf(row -> !row.day().isBefore(cut));
                    to = cut;
                    if (rows.isEmpty()) {
                        // One day holds more than a page: it is read whole, as a bucket is never split.
                        to = cut.plusDays(1);
                        read(connection, new UsageQuery(cut, to, query.groupBy()), rollup, Integer.MAX_VALUE, rows);
                    }
                }
            } finally {
                // Nothing was written; ending the transaction ends its settings too.
                connection.rollback();
                connection.setAutoCommit(true);
                // H2 keeps a statement's query timeout as its session's: the pool's next user (the ledger's writer) must not inherit it.
                try (java.sql.Statement reset = connection.createStatement()) {
                    reset.setQueryTimeout(0);
                }
            }
        }
        return new Report(rows, to);
    }

    private void read(Connection connection, UsageQuery query, Rollup rollup, int limit, List<UsageRow> rows)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql(query, rollup))) {
            statement.setQueryTimeout(queryTimeoutSeconds);
            statement.setDate(1, Date.valueOf(query.from()));
            statement.setDate(2, Date.valueOf(query.to()));
            statement.setInt(3, limit);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Map<UsageQuery.GroupBy, String> groups = new EnumMap<>(UsageQuery.GroupBy.class);
                    int column = 2;
                    for (UsageQuery.GroupBy group : query.groupBy()) {
                        String value = result.getString(column++);
                        groups.put(group, group == UsageQuery.GroupBy.TEAM && LedgerStore.NO_TEAM.equals(value) ? null : value);
                    }
                    BigDecimal cost = result.getBigDecimal(column + 6);
                    rows.add(new UsageRow(result.getDate(1).toLocalDate(), groups, result.getLong(column),
                            result.getLong(column + 1), result.getLong(column + 2), result.getLong(column + 3),
                            result.getLong(column + 4), result.getLong(column + 5), cost == null ? BigDecimal.ZERO : cost));
                }
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
