-- The embedded H2 only (docs/spend.md#the-ledger): no index of raw rows by time either. Retention
-- finds old rows by id (LedgerStore.deleteBefore), and nothing else reads raw rows on a file the
-- gateway holds locked; the index was another B-tree written with every row on the gateway's own
-- cores. PostgreSQL keeps it, for finance's own SQL over time ranges of raw rows.
DROP INDEX IF EXISTS ledger_request_time;
