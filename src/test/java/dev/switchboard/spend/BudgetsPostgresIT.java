package dev.switchboard.spend;

import dev.switchboard.ledger.Database;
import dev.switchboard.ledger.TestDatabases;

/** Budgets on a real PostgreSQL, two nodes included. */
class BudgetsPostgresIT extends BudgetsContract {
    @Override
    Database open() throws Exception {
        return TestDatabases.postgres();
    }
}
