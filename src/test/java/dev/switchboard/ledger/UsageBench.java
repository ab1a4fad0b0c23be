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
 * and 8.64 million raw rows for today. Then it reads pages as the usage API does
 * ({@link UsageReports#run(UsageQuery)}: the narrowest rollup, at most {@link UsageReports#MAX_RESULTS}
 * results in whole days), JSON and HTTP aside: one page of 7, 31 and 180 days starting a year ago for
 * each grouping ({@link #RUNS} times: the first run and the median), and the whole year page after
 * page. {@code --explain} adds PostgreSQL's plans of the widest groupings' pages.
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
    /** OpenAI's default page, the usage report's largest (31) and the costs report's (180). */
    static final int[] PAGE_LIMITS = {7, 31, 180};

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
                System.out.println("One page, as the usage API reads it (the narrowest rollup, at most "
                        + UsageReports.MAX_RESULTS + " results), starting a year ago:");
                System.out.println("| group_by | Read from | limit | Days read | Result rows | first | median |");
                System.out.println("|---|---|---:|---:|---:|---:|---:|");
                LocalDate yearAgo = today.minusDays(DAYS - 1);
                for (List<UsageQuery.GroupBy> groups : groupings()) {
                    for (int limit : PAGE_LIMITS) {
                        UsageQuery query = new UsageQuery(yearAgo, yearAgo.plusDays(limit), groups);
                        UsageReports.Report[] last = new UsageReports.Report[1];
                        Timing timing = time(() -> {
                            last[0] = reports.run(query);
                            return last[0].rows().size();
                        });
                        System.out.printf("| %s | %s | %d | %d | %,d | %d ms | %s |%n", names(groups),
                                Rollup.narrowest(groups).table, limit,
                                java.time.temporal.ChronoUnit.DAYS.between(query.from(), last[0].to()),
                                timing.rows, timing.first, timing.median());
                    }
                }
                System.out.println();
                System.out.println("The whole year, page after page (each page's query from where the last ended):");
                System.out.println("| group_by | limit | Pages | Result rows | Total | Slowest page |");
                System.out.println("|---|---:|---:|---:|---:|---:|");
                for (List<UsageQuery.GroupBy> groups : groupings()) {
                    for (int limit : new int[] {31, 180}) {
                        LocalDate end = today.plusDays(1);
                        int pages = 0;
                        long results = 0;
                        long slowest = 0;
                        long began = System.nanoTime();
                        for (LocalDate from = yearAgo; from.isBefore(end); pages++) {
                            LocalDate to = from.plusDays(limit).isBefore(end) ? from.plusDays(limit) : end;
                            long page = System.nanoTime();
                            UsageReports.Report report = reports.run(new UsageQuery(from, to, groups));
                            slowest = Math.max(slowest, System.nanoTime() - page);
                            results += report.rows().size();
                            from = report.to();
                        }
                        System.out.printf("| %s | %d | %d | %,d | %d ms | %d ms |%n", names(groups), limit, pages, results,
                                (System.nanoTime() - began) / 1_000_000, slowest / 1_000_000);
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

    static String names(List<UsageQuery.GroupBy> groups) {
        return groups.isEmpty() ? "(none)" : String.join(",", groups.stream().map(UsageQuery.GroupBy::parameter).toList());
    }

    /** A report that answers with its number of rows. */
    interface Run {
        int rows() throws SQLException;
    }

    /** Runs the query {@link #RUNS} times (once when it takes over 10 s: the answer is too big to be a use). */
    private static Timing time(Run run) throws SQLException {
        long[] millis = new long[RUNS];
        int rows = 0;
        int runs = 0;
        while (runs < RUNS && (runs == 0 || millis[0] < 10_000)) {
            long started = System.nanoTime();
            rows = run.rows();
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
        LocalDate yearAgo = today.minusDays(DAYS - 1);
        for (List<UsageQuery.GroupBy> groups : List.of(List.of(UsageQuery.GroupBy.TOKEN, UsageQuery.GroupBy.MODEL),
                List.of(UsageQuery.GroupBy.TOKEN))) {
            for (int limit : new int[] {7, 180}) {
                UsageQuery query = new UsageQuery(yearAgo, yearAgo.plusDays(limit), groups);
                Rollup rollup = Rollup.narrowest(groups);
                String sql = UsageReports.sql(query, rollup).replaceFirst("\\?", "DATE '" + query.from() + "'")
                        .replaceFirst("\\?", "DATE '" + query.to() + "'")
                        .replaceFirst("\\?", Integer.toString(UsageReports.MAX_RESULTS + 1));
                System.out.println();
                System.out.println("EXPLAIN (ANALYZE, BUFFERS) " + sql);
                try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
                    connection.setAutoCommit(false);
                    for (String setting : Dialect.POSTGRESQL.reportSettings()) {
                        statement.execute(setting);
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
