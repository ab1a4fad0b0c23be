package dev.switchboard.config;

import java.util.Locale;

/**
 * The {@code redis} section: the store that limits and cooldowns share across nodes
 * (docs/operations.md#running-several-nodes). Absent, every node keeps its own state in memory.
 * Immutable.
 *
 * @param url {@code redis://}, {@code rediss://} (TLS) or {@code redis-sentinel://}, with a
 *     password or an ACL user and password in it; a secret: never logged, never in {@link #toString}
 * @param timeoutMs the longest any one Redis command may take before the node falls back
 * @param onFailure what a node does while Redis does not answer
 * @param keyPrefix what every key starts with, so that several gateways can share one Redis
 */
public record RedisConfig(String url, long timeoutMs, OnFailure onFailure, String keyPrefix) {
    public static final long DEFAULT_TIMEOUT_MS = 100;
    public static final OnFailure DEFAULT_ON_FAILURE = OnFailure.LOCAL;
    public static final String DEFAULT_KEY_PREFIX = "switchboard:";

    /** What a node does while Redis does not answer. */
    public enum OnFailure {
        /** Each node goes on with its own state in memory, as a single node would. */
        LOCAL,
        /** Requests of tokens with limits are refused with 503 until Redis answers again. */
        REJECT;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static OnFailure fromConfigName(String name) {
            for (OnFailure value : values()) {
                if (value.configName().equals(name)) {
                    return value;
                }
            }
            return null;
        }
    }

    @Override
    public String toString() {
        return "RedisConfig[url=(secret), timeoutMs=" + timeoutMs + ", onFailure=" + onFailure.configName()
                + ", keyPrefix=" + keyPrefix + "]";
    }
}
