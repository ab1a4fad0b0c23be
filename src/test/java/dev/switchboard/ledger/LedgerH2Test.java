package dev.switchboard.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on an embedded H2 file, as the zero-configuration gateway keeps it. */
class LedgerH2Test extends LedgerContract {
    @TempDir
    Path directory;

    @Override
    Database open() {
        return TestDatabases.h2(directory);
    }

    /** Nothing can read them: the gateway holds the file for as long as it runs, and each cost the writer a B-tree per row. */
    @Override
    boolean keepsRawRowIndexes() {
        return false;
    }

    /** An embedded file written before loses the indexes when the gateway next starts, and keeps its rows. */
    @Test
    void upgradingDropsTheRawRowIndexesAndKeepsTheRows() throws Exception {
        Flyway.configure(Database.class.getClassLoader()).dataSource(database.dataSource())
                .locations(Database.MIGRATIONS).table(Database.HISTORY_TABLE).target("2").load().migrate();
        try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO ledger_request (" + LedgerStore.COLUMNS + ") VALUES (TIMESTAMP WITH TIME"
                    + " ZONE '2026-12-06 12:00:00+00', 'r', 'alice', NULL, NULL, 'm', 'p', 1, 2, 0, 0, 0, 0.5, FALSE, 200,"
                    + " 1, 3, NULL)");
        }
        assertThat(indexes("ledger_request")).contains("ledger_request_token_time", "ledger_request_time");
        database.migrate();
        assertThat(indexes("ledger_request")).doesNotContain("ledger_request_token_time", "ledger_request_time");
        assertThat(count("SELECT COUNT(*) FROM ledger_request WHERE token_name = 'alice'")).isEqualTo(1);
    }
}
