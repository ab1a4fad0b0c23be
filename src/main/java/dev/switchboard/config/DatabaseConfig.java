package dev.switchboard.config;

/**
 * The {@code database} section: where the usage ledger and budget spend are kept
 * (docs/spend.md#the-database). Without a URL the container's {@code jdbc/switchboard} resource
 * is used when it defines one, else an embedded H2 file. Immutable.
 *
 * @param url a JDBC URL for HikariCP, or null; may hold a password, so never logged and never in {@link #toString}
 * @param username the database user, or null
 * @param password the database password, or null; never logged
 * @param poolSize the most connections HikariCP opens
 * @param retentionDays how many days of raw ledger rows are kept; the daily rollups are kept for good
 */
public record DatabaseConfig(String url, String username, String password, int poolSize, int retentionDays) {
    public static final int DEFAULT_POOL_SIZE = 4;
    public static final int DEFAULT_RETENTION_DAYS = 90;
    public static final DatabaseConfig DEFAULTS =
            new DatabaseConfig(null, null, null, DEFAULT_POOL_SIZE, DEFAULT_RETENTION_DAYS);

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + (url == null ? "none" : "(set)") + ", username=" + username
                + ", poolSize=" + poolSize + ", retentionDays=" + retentionDays + "]";
    }
}
