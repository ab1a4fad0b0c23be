package dev.switchboard.spend;

import dev.switchboard.ledger.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Budgets on an embedded H2 file. */
class BudgetsH2Test extends BudgetsContract {
    @TempDir
    Path directory;

    @Override
    Database open() {
        return Database.pooled("jdbc:h2:file:" + directory.resolve("budgets").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE",
                null, null, 4, "test H2");
    }
}
