package dev.switchboard.ledger;

/** Usage reports' pages on a real PostgreSQL (TestDatabases says which). */
class UsagePagesPostgresIT extends UsagePagesContract {
    @Override
    Database open() throws Exception {
        return TestDatabases.postgres();
    }
}
