package dev.switchboard.ledger;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One batch of the ledger's writer on an embedded H2 file ({@link LedgerStore#write}: the raw rows
 * and the three rollups' additions in one transaction), at three batch sizes. Scores are per row,
 * on the writing thread only: H2's background store runs on threads of its own, which
 * {@link LedgerWriterLoad} counts. The rows are the bench's: one token, two models.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class LedgerStoreBenchmark {
    private Path directory;
    private Database database;
    private LedgerStore store;
    private List<LedgerRow> rows16;
    private List<LedgerRow> rows128;
    private List<LedgerRow> rows500;

    @Setup
    public void setUp() throws IOException, SQLException {
        directory = Files.createTempDirectory("ledger-bench");
        database = TestDatabases.h2(directory);
        store = new LedgerStore(database, database.migrate());
        rows16 = rows(16);
        rows128 = rows(128);
        rows500 = rows(500);
    }

    @TearDown
    public void tearDown() throws IOException {
        database.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static List<LedgerRow> rows(int count) {
        List<LedgerRow> rows = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            rows.add(new LedgerRow(now, "req_0123456789abcdef" + i, "bench", null, "gpt-4o-mini",
                    i % 2 == 0 ? "gpt-4o-mini" : "claude-sonnet-4-5", i % 2 == 0 ? "mock-openai" : "mock-anthropic",
                    19, 9, 0, 0, 0, BigDecimal.valueOf(8_250_000L, 12), false, 200, 1, 2, -1));
        }
        return rows;
    }

    @Benchmark
    @OperationsPerInvocation(16)
    public void batchOf16() throws SQLException {
        store.write(rows16);
    }

    @Benchmark
    @OperationsPerInvocation(128)
    public void batchOf128() throws SQLException {
        store.write(rows128);
    }

    @Benchmark
    @OperationsPerInvocation(500)
    public void batchOf500() throws SQLException {
        store.write(rows500);
    }
}
