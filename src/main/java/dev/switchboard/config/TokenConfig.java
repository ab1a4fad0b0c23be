package dev.switchboard.config;

import java.util.Set;

/**
 * A bearer token clients may present. Only its SHA-256 digest is kept in memory.
 *
 * @param models the model ids and alias names this token may use, or null for all
 */
public record TokenConfig(String name, byte[] sha256, Set<String> models) {
    public TokenConfig {
        sha256 = sha256.clone();
        models = models == null ? null : Set.copyOf(models);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public String toString() {
        return "TokenConfig[name=" + name + ", models=" + models + "]";
    }
}
