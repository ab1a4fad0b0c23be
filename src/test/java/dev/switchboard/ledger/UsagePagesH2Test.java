package dev.switchboard.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Usage reports' pages on an H2 file. */
class UsagePagesH2Test extends UsagePagesContract {
    @TempDir
    Path directory;

    @Override
    Database open() {
        return TestDatabases.h2(directory);
    }
}
