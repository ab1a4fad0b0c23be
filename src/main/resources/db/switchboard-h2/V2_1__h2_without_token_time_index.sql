-- The embedded H2 only (docs/spend.md#the-ledger): no index of raw rows by token and time. Nothing
-- in Switchboard reads raw rows by token, and no one else can: the gateway holds the file open
-- (H2's file lock) for as long as it runs. The index cost the writer a third B-tree per row, about
-- 1.7 µs of the ledger threads' CPU of every request (bench/results/accounting.md). PostgreSQL
-- keeps it, for finance's own SQL over raw rows. Versioned 2.1 so that the shared migrations may
-- go on at 3.
DROP INDEX IF EXISTS ledger_request_token_time;
