package dev.switchboard.config;

import jakarta.json.JsonObject;
import java.util.Set;

/** Parses {@code database}. The URL and password are secrets: no message repeats them. Stateless. */
final class DatabaseSection {
    private static final Set<String> FIELDS = Set.of("url", "username", "password", "poolSize", "retentionDays");

    private DatabaseSection() {
    }

    static DatabaseConfig database(ConfigReader read, JsonObject root) {
        if (!root.containsKey("database")) {
            return DatabaseConfig.DEFAULTS;
        }
        JsonObject database = read.object(root, "database", null, true);
        read.checkKeys(database, "database", FIELDS);
        String url = read.string(database, "url", "database", false);
        if (url != null && !url.startsWith("jdbc:")) {
            throw new ConfigException("database.url", "must be a JDBC URL starting with jdbc: (the value is not"
                    + " repeated here: it may hold a password)");
        }
        return new DatabaseConfig(url, read.string(database, "username", "database", false),
                read.string(database, "password", "database", false),
                (int) read.optionalPositive(database, "poolSize", "database", DatabaseConfig.DEFAULT_POOL_SIZE),
                (int) read.optionalPositive(database, "retentionDays", "database", DatabaseConfig.DEFAULT_RETENTION_DAYS));
    }
}
