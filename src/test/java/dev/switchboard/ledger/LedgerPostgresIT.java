package dev.switchboard.ledger;

/** The ledger on a real PostgreSQL (TestDatabases says which). */
class LedgerPostgresIT extends LedgerContract {
    @Override
    Database open() throws Exception {
        return TestDatabases.postgres();
    }
}
