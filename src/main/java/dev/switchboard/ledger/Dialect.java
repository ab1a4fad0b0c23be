package dev.switchboard.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What differs between the databases the ledger runs on: how a row of a daily rollup is added
 * to, a report's settings and one index ({@link #migrations}). PostgreSQL has {@code INSERT … ON
 * CONFLICT DO UPDATE} (from 9.5, atomic under concurrent writers of several nodes); H2 has the SQL
 * standard's {@code MERGE … USING}. Stateless.
 */
enum Dialect {
    POSTGRESQL {
        @Override
        String addTo(Rollup rollup) {
            List<String> key = rollup.keyColumns();
            List<String> columns = new ArrayList<>(key);
            columns.addAll(Rollup.MEASURES);
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(rollup.table).append(" (")
                    .append(String.join(", ", columns)).append(") VALUES (")
                    .append(String.join(", ", Collections.nCopies(columns.size(), "?"))).append(") ON CONFLICT (")
                    .append(String.join(", ", key)).append(") DO UPDATE SET ");
            for (String measure : Rollup.MEASURES) {
                sql.append(measure.equals(Rollup.MEASURES.get(0)) ? "" : ", ").append(measure).append(" = ")
                        .append(rollup.table).append('.').append(measure).append(" + EXCLUDED.").append(measure);
            }
            return sql.toString();
        }
    },
    H2 {
        @Override
        String addTo(Rollup rollup) {
            List<String> key = rollup.keyColumns();
            List<String> columns = new ArrayList<>(key);
            columns.addAll(Rollup.MEASURES);
            List<String> values = new ArrayList<>();
            for (String column : columns) {
                values.add("CAST(? AS " + (column.equals("usage_day") ? "DATE" : column.equals("cost_usd")
                        ? "NUMERIC(24, 12)" : key.contains(column) ? "VARCHAR(256)" : "BIGINT") + ")");
            }
            List<String> matches = new ArrayList<>();
            for (String column : key) {
                matches.add("d." + column + " = s." + column);
            }
            List<String> updates = new ArrayList<>();
            for (String measure : Rollup.MEASURES) {
                updates.add(measure + " = d." + measure + " + s." + measure);
            }
            List<String> sources = new ArrayList<>();
            for (String column : columns) {
                sources.add("s." + column);
            }
            return "MERGE INTO " + rollup.table + " d USING (VALUES (" + String.join(", ", values) + ")) AS s ("
                    + String.join(", ", columns) + ") ON " + String.join(" AND ", matches)
                    + " WHEN MATCHED THEN UPDATE SET " + String.join(", ", updates)
                    + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", sources) + ")";
        }
    };

    /**
     * The statement adding one aggregate to its row of {@code rollup}: parameters are the key's
     * columns, then {@link Rollup#MEASURES}.
     */
    abstract String addTo(Rollup rollup);

    /**
     * Where Flyway finds this database's migrations: the shared ones, and on H2 its own, which drop
     * the raw rows' token index that only SQL of one's own over PostgreSQL can use (docs/spend.md#the-ledger).
     */
    String[] migrations() {
        return this == H2 ? new String[] {Database.MIGRATIONS, Database.H2_MIGRATIONS} : new String[] {Database.MIGRATIONS};
    }

    /** PostgreSQL's memory for a usage report's grouping and sorting (docs/spend.md#how-fast-the-usage-api-answers). */
    static final String REPORT_WORK_MEM = "64MB";

    /**
     * Settings for the one transaction of a usage report. On PostgreSQL: memory enough to group and
     * sort a year of a fleet's rows without spilling to disk (the default 4 MB spilled: EXPLAIN
     * ANALYZE in bench/results/usage-postgres.md), which one report at a time can afford, and no JIT
     * compilation, which cost a quarter of a second per large query and saved nothing.
     */
    List<String> reportSettings() {
        return this == POSTGRESQL ? List.of("SET LOCAL work_mem = '" + REPORT_WORK_MEM + "'", "SET LOCAL jit = off")
                : List.of();
    }

    /** The dialect of the database behind {@code connection}. */
    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("h2")) {
            return H2;
        }
        throw new SQLException("the ledger supports PostgreSQL and H2, not " + product);
    }
}
