package dev.switchboard.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on an embedded H2 file, as the zero-configuration gateway keeps it. */
class LedgerH2Test extends LedgerContract {
    @TempDir
    Path directory;

    @Override
    Database open() {
        return TestDatabases.h2(directory);
    }
}
