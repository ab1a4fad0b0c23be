package dev.switchboard.bootstrap;

import dev.switchboard.config.DatabaseConfig;
import dev.switchboard.ledger.Database;
import dev.switchboard.ledger.LedgerMetrics;
import dev.switchboard.ledger.LedgerWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the ledger's database and writer at start and closes them at the end, after the requests
 * in flight have written their rows (docs/spend.md#the-database). Per deployed context.
 */
final class LedgerWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("switchboard");

    private final Database database;
    private final LedgerWriter writer;

    private LedgerWiring(Database database, LedgerWriter writer) {
        this.database = database;
        this.writer = writer;
    }

    static LedgerWiring open(DatabaseConfig config, String contextPath, PrometheusRegistry registry,
            LedgerWriter.Listener listener) {
        Database database = Database.open(config, System.getProperty("catalina.base"), System.getProperty("jetty.base"),
                contextPath);
        LOG.info("Ledger: {}; raw rows kept {} days", database.description(), config.retentionDays());
        LedgerWriter writer = new LedgerWriter(database, LedgerWriter.DEFAULT_CAPACITY,
                Duration.ofDays(config.retentionDays()), LedgerWriter.DEFAULT_RECONCILE_INTERVAL, listener,
                new LedgerMetrics(registry), Clock.systemUTC()).start();
        return new LedgerWiring(database, writer);
    }

    Database database() {
        return database;
    }

    LedgerWriter writer() {
        return writer;
    }

    /**
     * Writes out the queue, closes the pool, and unregisters the JDBC drivers this application's
     * class loader registered, which would otherwise pin it after undeploy.
     */
    @Override
    public void close() {
        writer.close();
        database.close();
        ClassLoader ours = LedgerWiring.class.getClassLoader();
        if (ours == ClassLoader.getSystemClassLoader()) {
            // Not a web application's own loader (an embedded server on the class path): the drivers are the JVM's.
            return;
        }
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == ours) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException e) {
                    LOG.debug("could not unregister JDBC driver {}", driver.getClass().getName());
                }
            }
        }
    }
}
