package dev.switchboard.bootstrap;

import dev.switchboard.ledger.LedgerRow;
import dev.switchboard.ledger.LedgerStore;
import dev.switchboard.ledger.LedgerWriter;
import java.util.List;

/** Listeners of the ledger writer. Stateless. */
final class LedgerListeners {
    /** Listens to nothing: the ledger without budgets. */
    static final LedgerWriter.Listener NONE = new LedgerWriter.Listener() {
        @Override
        public void written(List<LedgerRow> rows) {
        }

        @Override
        public void reconcile(LedgerStore store) {
        }
    };

    private LedgerListeners() {
    }
}
