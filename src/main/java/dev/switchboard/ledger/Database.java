package dev.switchboard.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.config.DatabaseConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's database (docs/spend.md#the-database): the container's {@code jdbc/switchboard}
 * resource when it defines one (its pool, its credentials), else {@code database.url} through
 * HikariCP, else an embedded H2 file under the server's base directory. Its schema is brought up
 * to date by Flyway. URLs and passwords never reach a log line: only which of the three it is
 * and, for the embedded file, its path. Shared; one per deployed context.
 */
public final class Database implements AutoCloseable {
    /** The container resource looked up first (Tomcat's {@code <Resource name="jdbc/switchboard">}). */
    public static final String JNDI_NAME = "java:comp/env/jdbc/switchboard";
    /** Where the migrations of both databases are, on the class path. */
    static final String MIGRATIONS = "classpath:db/switchboard";
    /**
     * Where the embedded H2's own migrations are: a sibling of {@link #MIGRATIONS}, not inside it,
     * since Flyway reads a location's subfolders too. Versioned between the shared ones (2.1).
     */
    static final String H2_MIGRATIONS = "classpath:db/switchboard-h2";
    /** Flyway's history table, named so that it never meets another application's in a shared schema. */
    static final String HISTORY_TABLE = "switchboard_schema_history";
    /** The embedded database's file name under the data directory (H2 adds {@code .mv.db}). */
    static final String EMBEDDED_NAME = "switchboard";
    /**
     * The embedded database's page cache, in KB (H2's {@code CACHE_SIZE}; its default is 16 MB). H2
     * caches every page its writer stores, so under load its cache is a stream of pages that live
     * for seconds: long enough for every young collection to copy them from one survivor space to
     * the next. With the default cache the gateway's young pauses were 5 to 20 times the floor's
     * (docs/spend.md#the-database); the writer appends and needs few pages, and a report reads its
     * pages again from the file (the operating system's cache, usually).
     */
    static final int EMBEDDED_CACHE_KB = 1024;
    private static final Logger LOG = LoggerFactory.getLogger("switchboard.database");

    private final DataSource dataSource;
    private final HikariDataSource pool;
    private final String description;

    private Database(DataSource dataSource, HikariDataSource pool, String description) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.description = description;
    }

    /**
     * Opens the database the configuration and the container name, without connecting yet.
     *
     * @param catalinaBase Tomcat's base directory, or null
     * @param jettyBase Jetty's base directory, or null
     * @param contextPath the servlet context path ({@code ""} for the root context)
     */
    public static Database open(DatabaseConfig config, String catalinaBase, String jettyBase, String contextPath) {
        DataSource container = containerResource();
        if (container != null) {
            if (config.url() != null) {
                LOG.warn("database.url is ignored: the container defines {}", JNDI_NAME);
            }
            return new Database(container, null, "the container's resource " + JNDI_NAME);
        }
        if (config.url() != null) {
            return new Database(null, pool(config.url(), config.username(), config.password(), config.poolSize()),
                    "database.url (HikariCP, at most " + config.poolSize() + " connections)");
        }
        Path file = embeddedFile(catalinaBase, jettyBase, contextPath);
        // DB_CLOSE_ON_EXIT off: the pool closes it on undeploy, after the writer's last batch.
        return new Database(null, pool(embeddedUrl(file), null, null, config.poolSize()),
                "the embedded H2 database " + file + ".mv.db");
    }

    /** The embedded database's JDBC URL: {@code file} is its path without {@code .mv.db}. */
    static String embeddedUrl(Path file) {
        return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;CACHE_SIZE=" + EMBEDDED_CACHE_KB;
    }

    /** Opens {@code url} through HikariCP; for tests and for the three sources above. */
    public static Database pooled(String url, String username, String password, int poolSize, String description) {
        return new Database(null, pool(url, username, password, poolSize), description);
    }

    /**
     * Where the embedded database lives: {@code <catalina.base>/data}, else {@code <jetty.base>/data},
     * else the temp directory; {@code switchboard} for the root context and {@code switchboard-<path>}
     * for any other. One file per context: each deployed WAR loads its own copy of H2, and two
     * engines writing one file corrupt it (H2's lock does not see a second class loader in the same JVM).
     */
    static Path embeddedFile(String catalinaBase, String jettyBase, String contextPath) {
        String base = catalinaBase != null ? catalinaBase : jettyBase;
        Path directory = base != null ? Path.of(base, "data") : Path.of(System.getProperty("java.io.tmpdir"), "switchboard-data");
        return directory.toAbsolutePath().resolve(embeddedName(contextPath));
    }

    private static String embeddedName(String contextPath) {
        if (contextPath == null || contextPath.isEmpty() || contextPath.equals("/")) {
            return EMBEDDED_NAME;
        }
        // A context path may hold '/' (nested) and characters a file name should not: keep letters, digits, '-', '_', '.'.
        String name = contextPath.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "-");
        return EMBEDDED_NAME + "-" + name;
    }

    private static HikariDataSource pool(String url, String username, String password, int poolSize) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        // Named explicitly: DriverManager would not find a driver of the web application's class loader.
        if (url.startsWith("jdbc:h2:")) {
            hikari.setDriverClassName("org.h2.Driver");
        } else if (url.startsWith("jdbc:postgresql:")) {
            hikari.setDriverClassName("org.postgresql.Driver");
        }
        hikari.setUsername(username);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(1);
        hikari.setPoolName("switchboard-ledger");
        // Connections are taken by the ledger's own thread only; a down database is noticed within this.
        hikari.setConnectionTimeout(5_000);
        // Starts without the database: the writer connects, and retries, on its own thread.
        hikari.setInitializationFailTimeout(-1);
        return new HikariDataSource(hikari);
    }

    private static DataSource containerResource() {
        try {
            Object found = new InitialContext().lookup(JNDI_NAME);
            return found instanceof DataSource dataSource ? dataSource : null;
        } catch (NamingException | RuntimeException e) {
            // No JNDI environment (plain Jetty) or no such resource: the next source.
            return null;
        }
    }

    public DataSource dataSource() {
        return pool != null ? pool : dataSource;
    }

    /** Which database this is, fit for a log line: never a URL or a password. */
    public String description() {
        return description;
    }

    public Connection connection() throws SQLException {
        return dataSource().getConnection();
    }

    /**
     * Brings the schema up to date (Flyway's history table {@value #HISTORY_TABLE}): the shared
     * migrations, and the dialect's own ({@link Dialect#migrations}); returns the database's dialect.
     * One writer at a time: Flyway locks PostgreSQL against other nodes, but
     * H2's DDL commits at once, and two writers of one JVM creating the tables together fail.
     */
    synchronized Dialect migrate() throws SQLException {
        Dialect dialect;
        try (Connection connection = connection()) {
            dialect = Dialect.of(connection);
        }
        Flyway.configure(Database.class.getClassLoader()).dataSource(dataSource()).locations(dialect.migrations())
                .table(HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0").load().migrate();
        return dialect;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
