package dev.switchboard.config;

import jakarta.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * Parses {@code redis}. The URL is a secret: no message repeats it. Stateless.
 */
final class RedisSection {
    private static final Set<String> FIELDS = Set.of("url", "timeoutMs", "onFailure", "keyPrefix");
    /** The schemes Lettuce connects to (its RedisURI): plain, TLS, and through Sentinel. */
    private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");

    private RedisSection() {
    }

    /** The section, or null when the configuration has none. */
    static RedisConfig redis(ConfigReader read, JsonObject root) {
        if (!root.containsKey("redis")) {
            return null;
        }
        JsonObject redis = read.object(root, "redis", null, true);
        read.checkKeys(redis, "redis", FIELDS);
        String url = read.string(redis, "url", "redis", true);
        int colon = url.indexOf("://");
        if (colon < 0 || !SCHEMES.contains(url.substring(0, colon).toLowerCase(Locale.ROOT))) {
            throw new ConfigException("redis.url", "must start with redis://, rediss:// (TLS), redis-sentinel:// or"
                    + " rediss-sentinel:// (the value is not repeated here: it may hold a password)");
        }
        long timeoutMs = read.optionalPositive(redis, "timeoutMs", "redis", RedisConfig.DEFAULT_TIMEOUT_MS);
        RedisConfig.OnFailure onFailure = RedisConfig.DEFAULT_ON_FAILURE;
        String onFailureName = read.string(redis, "onFailure", "redis", false);
        if (onFailureName != null) {
            onFailure = RedisConfig.OnFailure.fromConfigName(onFailureName);
            if (onFailure == null) {
                throw new ConfigException("redis.onFailure", "unknown value '" + ConfigParser.escaped(onFailureName)
                        + "' (expected local or reject)");
            }
        }
        String keyPrefix = read.string(redis, "keyPrefix", "redis", false);
        return new RedisConfig(url, timeoutMs, onFailure, keyPrefix == null ? RedisConfig.DEFAULT_KEY_PREFIX : keyPrefix);
    }
}
