package dev.switchboard.ledger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Times the usage API's queries on a year of daily rollups plus a day of raw rows at 100
 * requests a second, on a real PostgreSQL (docs/spend.md#how-fast-the-usage-api-answers;
 * figures in bench/results/usage-postgres.md). Not a test: a plain main, run by hand:
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.switchboard.ledger.UsageBench [--reload] [--explain]
 * </pre>
 * It loads into the schema {@code usage_bench} of the local PostgreSQL (127.0.0.1:5432, database
 * {@code test}) once, and reuses it on later runs unless {@code --reload}: 200 tokens in 10 teams,
 * each using each of 20 models (on 3 providers) every day for 365 days (1.46 million rollup rows),
 * and 8.64 million raw rows for today. Then each query runs {@link #RUNS} times on the full rollup
 * (as every query did before the narrow rollups) and on the narrowest rollup that holds its groups
 * (as the usage API does now); the first run and the median are reported, with how many rows the
 * answer has.
 */
public final class UsageBench {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=usage_bench";
    static final int TOKENS = 200;
    static final int TEAMS = 10;
    static final int MODELS = 20;
    static final int PROVIDERS = 3;
    static final int DAYS = 365;
    /** 100 requests a second for a day. */
    static final long RAW_ROWS = 8_640_000;
    static final int RUNS = 5;

    private UsageBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean reload = Arrays.asList(args).contains("--reload");
        boolean explain = Arrays.asList(args).contains("--explain");
        String url = System.getProperty("bench.url", URL);
        try (Connection admin = new org.postgresql.Driver().connect(url.replace("&currentSchema=usage_bench", ""),
                new Properties()); Statement statement = admin.createStatement()) {
            if (reload) {
                statement.execute("DROP SCHEMA IF EXISTS usage_bench CASCADE");
            }
            statement.execute("CREATE SCHEMA IF NOT EXISTS usage_bench");
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (Database database = Database.pooled(url, null, null, 2, "bench PostgreSQL")) {
            long started = System.nanoTime();
            database.migrate();
            // On a schema loaded before the narrow rollups, this includes filling them from ledger_daily.
            System.out.printf("migrated in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            if (count(database, "SELECT COUNT(*) FROM ledger_daily") == 0) {
                load(database, today);
            }
            try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
                statement.execute("VACUUM ANALYZE ledger_daily_by_token");
                statement.execute("VACUUM ANALYZE ledger_daily_by_team_model");
            }
            System.out.printf("ledger_daily: %,d rows; ledger_daily_by_token: %,d; ledger_daily_by_team_model: %,d;"
                    + " ledger_request: %,d rows; %s%n", count(database, "SELECT COUNT(*) FROM ledger_daily"),
                    count(database, "SELECT COUNT(*) FROM ledger_daily_by_token"),
                    count(database, "SELECT COUNT(*) FROM ledger_daily_by_team_model"),
                    count(database, "SELECT COUNT(*) FROM ledger_request"), sizes(database));
            System.out.println("load average before the queries: " + loadAverage());
            UsageReports reports = new UsageReports(database);
            try {
                System.out.println();
                System.out.println("| Days | group_by | Result rows | Read from | Full rollup: first | median | Narrowest: first"
                        + " | median |");
                System.out.println("|---:|---|---:|---|---:|---:|---:|---:|");
                for (int days : new int[] {30, 365}) {
                    for (List<UsageQuery.GroupBy> groups : groupings()) {
                        UsageQuery query = new UsageQuery(today.minusDays(days - 1), today.plusDays(1), groups);
                        Rollup narrowest = Rollup.narrowest(groups);
                        Timing full = time(reports, query, Rollup.FULL);
                        Timing narrow = narrowest == Rollup.FULL ? full : time(reports, query, narrowest);
                        String names = groups.isEmpty() ? "(none)"
                                : String.join(",", groups.stream().map(UsageQuery.GroupBy::parameter).toList());
                        System.out.printf("| %d | %s | %,d | %s | %d ms | %s | %d ms | %s |%n", days, names, narrow.rows,
                                narrowest.table, full.first, full.median(), narrow.first, narrow.median());
                    }
                }
            } finally {
                reports.close();
            }
            System.out.println("load average after the queries: " + loadAverage());
            if (explain) {
                explain(database, today);
            }
        }
    }

    static List<List<UsageQuery.GroupBy>> groupings() {
        List<List<UsageQuery.GroupBy>> all = new ArrayList<>();
        all.add(List.of());
        for (UsageQuery.GroupBy group : UsageQuery.GroupBy.values()) {
            all.add(List.of(group));
        }
        all.add(List.of(UsageQuery.GroupBy.TEAM, UsageQuery.GroupBy.MODEL));
        all.add(List.of(UsageQuery.GroupBy.TOKEN, UsageQuery.GroupBy.MODEL));
        return all;
    }

    /** The first run's time and the others', in ms, and the answer's rows. */
    record Timing(int rows, long first, long[] runs) {
        String median() {
            return runs.length < 3 ? "(once)" : runs[runs.length / 2] + " ms";
        }
    }

    /** Runs the query {@link #RUNS} times (once when it takes over 10 s: the answer is too big to be a use). */
    private static Timing time(UsageReports reports, UsageQuery query, Rollup rollup) throws SQLException {
        long[] millis = new long[RUNS];
        int rows = 0;
        int runs = 0;
        while (runs < RUNS && (runs == 0 || millis[0] < 10_000)) {
            long started = System.nanoTime();
            rows = reports.run(query, rollup).size();
            millis[runs++] = (System.nanoTime() - started) / 1_000_000;
        }
        long first = millis[0];
        long[] done = Arrays.copyOf(millis, runs);
        Arrays.sort(done);
        return new Timing(rows, first, done);
    }

    /** Loads in the database itself (generate_series): the bench measures the queries, not a client's inserts. */
    private static void load(Database database, LocalDate today) throws SQLException {
        try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            // Every token uses every model every day: the most rollup rows a year of this fleet makes.
            statement.executeUpdate("INSERT INTO ledger_daily (usage_day, token_name, team, model, provider, requests,"
                    + " input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, cost_usd,"
                    + " estimated_requests)"
                    + " SELECT DATE '" + today + "' - d, 'token-' || t, 'team-' || (t % " + TEAMS + "), 'model-' || m,"
                    + " 'provider-' || (m % " + PROVIDERS + "), 50 + (d * 7 + t * 3 + m) % 100,"
                    + " 40000 + (d * 13 + t * 7 + m * 11) % 50000, 9000 + (d + t + m) % 7000, (d + t) % 20000,"
                    + " (t + m) % 3000, (d + m) % 4000, ((d * 31 + t * 17 + m * 7) % 100000) * 0.000001234567,"
                    + " (d + t + m) % 3"
                    + " FROM generate_series(0, " + (DAYS - 1) + ") d, generate_series(1, " + TOKENS + ") t,"
                    + " generate_series(1, " + MODELS + ") m");
            System.out.printf("loaded %,d rollup rows in %d s%n", (long) DAYS * TOKENS * MODELS,
                    (System.nanoTime() - started) / 1_000_000_000);
            started = System.nanoTime();
            // A day at 100 requests a second, spread over today's 86,400 seconds.
            statement.executeUpdate("INSERT INTO ledger_request (occurred_at, request_id, token_name, team,"
                    + " requested_model, model, provider, input_tokens, output_tokens, cached_tokens, cache_write_tokens,"
                    + " reasoning_tokens, cost_usd, estimated, status, attempts, duration_ms, ttft_ms)"
                    + " SELECT TIMESTAMPTZ '" + today + " 00:00:00+00' + i * INTERVAL '10 milliseconds',"
                    + " 'req-' || i, 'token-' || (i % " + TOKENS + " + 1), 'team-' || ((i % " + TOKENS + " + 1) % "
                    + TEAMS + "), 'model-' || (i / " + TOKENS + " % " + MODELS + " + 1), 'model-' || (i / " + TOKENS
                    + " % " + MODELS + " + 1), 'provider-' || ((i / " + TOKENS + " % " + MODELS + " + 1) % " + PROVIDERS
                    + "), 500 + i % 3000, 100 + i % 700, i % 200, 0, i % 50, (i % 1000) * 0.00000123, i % 97 = 0,"
                    + " 200, 1, 300 + i % 2000, 100 + i % 500"
                    + " FROM generate_series(0, " + (RAW_ROWS - 1) + ") i");
            System.out.printf("loaded %,d raw rows in %d s%n", RAW_ROWS, (System.nanoTime() - started) / 1_000_000_000);
            statement.execute("VACUUM ANALYZE ledger_daily");
            statement.execute("VACUUM ANALYZE ledger_request");
            fillNarrowRollups(statement);
        }
    }

    /** The narrow rollups from the full one, as the migration that added them does (the writer keeps them after). */
    private static void fillNarrowRollups(Statement statement) throws SQLException {
        long started = System.nanoTime();
        statement.executeUpdate("INSERT INTO ledger_daily_by_token SELECT usage_day, token_name, team, SUM(requests),"
                + " SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(cache_write_tokens),"
                + " SUM(reasoning_tokens), SUM(cost_usd), SUM(estimated_requests) FROM ledger_daily"
                + " GROUP BY usage_day, token_name, team");
        statement.executeUpdate("INSERT INTO ledger_daily_by_team_model SELECT usage_day, team, model, provider,"
                + " SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(cache_write_tokens),"
                + " SUM(reasoning_tokens), SUM(cost_usd), SUM(estimated_requests) FROM ledger_daily"
                + " GROUP BY usage_day, team, model, provider");
        statement.execute("VACUUM ANALYZE ledger_daily_by_token");
        statement.execute("VACUUM ANALYZE ledger_daily_by_team_model");
        System.out.printf("filled the narrow rollups in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    private static void explain(Database database, LocalDate today) throws SQLException {
        for (List<UsageQuery.GroupBy> groups : List.of(List.of(UsageQuery.GroupBy.MODEL), List.of(UsageQuery.GroupBy.TOKEN))) {
            UsageQuery query = new UsageQuery(today.minusDays(DAYS - 1), today.plusDays(1), groups);
            for (Rollup rollup : List.of(Rollup.FULL, Rollup.narrowest(groups))) {
                String sql = UsageReports.sql(query, rollup).replaceFirst("\\?", "DATE '" + query.from() + "'")
                        .replaceFirst("\\?", "DATE '" + query.to() + "'");
                System.out.println();
                System.out.println("EXPLAIN (ANALYZE, BUFFERS) " + sql);
                try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
                    connection.setAutoCommit(false);
                    if (rollup != Rollup.FULL) {
                        // As the usage API runs it now; the full rollup's plan is shown as every report ran before.
                        for (String setting : Dialect.POSTGRESQL.reportSettings()) {
                            statement.execute(setting);
                        }
                    }
                    try (ResultSet plan = statement.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                        while (plan.next()) {
                            System.out.println("    " + plan.getString(1));
                        }
                    }
                    connection.rollback();
                }
            }
        }
    }

    /** The machine's load averages (1, 5, 15 minutes): on a shared machine, what the timings were taken under. */
    private static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2] + " on " + Runtime.getRuntime().availableProcessors()
                    + " cores";
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static long count(Database database, String sql) throws SQLException {
        try (Connection connection = database.connection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static String sizes(Database database) throws SQLException {
        try (Connection connection = database.connection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT relname, pg_size_pretty(pg_total_relation_size(oid))"
                     + " FROM pg_class WHERE relnamespace = 'usage_bench'::regnamespace AND relkind = 'r'"
                     + " AND relname LIKE 'ledger%' ORDER BY relname")) {
            StringBuilder sizes = new StringBuilder("sizes with indexes:");
            while (result.next()) {
                sizes.append(' ').append(result.getString(1)).append(' ').append(result.getString(2)).append(';');
            }
            return sizes.toString();
        }
    }
}
