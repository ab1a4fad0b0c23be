package dev.switchboard.ledger;

/** The ledger on a real PostgreSQL (TestDatabases says which). */
class LedgerPostgresIT extends LedgerContract {
    @Override
    Database open() throws Exception {
        return TestDatabases.postgres();
    }

    /** Kept for finance's own SQL over raw rows, which PostgreSQL serves while the gateway writes. */
    @Override
    boolean keepsRawRowIndexes() {
        return true;
    }
}
