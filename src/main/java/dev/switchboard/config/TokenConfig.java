package dev.switchboard.config;

import java.util.Set;

/**
 * A bearer token clients may present. Only its SHA-256 digest is kept in memory.
 *
 * @param models the model ids and alias names this token may use, or null for all
 * @param rpm requests per minute this token may make, or null for no limit
 * @param tpm tokens per minute (prompt plus completion, counted when requests finish), or null
 * @param metrics whether this token may read {@code /metrics}
 * @param team the name of the team the token belongs to, or null
 * @param budget the token's own spending budget, or null for none
 * @param admin whether the token may read the usage API (docs/spend.md#the-usage-api)
 * @param maxConcurrent requests this token may have in flight at once on a node, or null for no limit
 *     (docs/hostile-clients.md#concurrency-caps)
 */
public record TokenConfig(String name, byte[] sha256, Set<String> models, Long rpm, Long tpm, boolean metrics,
                          String team, BudgetConfig budget, boolean admin, Integer maxConcurrent) {
    /**
     * The shortest plain token accepted: twelve characters of the usual token alphabets (letters,
     * digits, a few symbols) are about 70 bits, out of reach of guessing over the network, where
     * a shorter one is usually a word or a test value left in a configuration.
     */
    public static final int MIN_TOKEN_CHARACTERS = 12;

    public TokenConfig {
        sha256 = sha256.clone();
        models = models == null ? null : Set.copyOf(models);
    }

    /** A token without a concurrency limit. */
    public TokenConfig(String name, byte[] sha256, Set<String> models, Long rpm, Long tpm, boolean metrics,
                       String team, BudgetConfig budget, boolean admin) {
        this(name, sha256, models, rpm, tpm, metrics, team, budget, admin, null);
    }

    /** A token without a budget or the usage API. */
    public TokenConfig(String name, byte[] sha256, Set<String> models, Long rpm, Long tpm, boolean metrics,
                       String team) {
        this(name, sha256, models, rpm, tpm, metrics, team, null, false);
    }

    /** A token of no team. */
    public TokenConfig(String name, byte[] sha256, Set<String> models, Long rpm, Long tpm, boolean metrics) {
        this(name, sha256, models, rpm, tpm, metrics, null);
    }

    /** A token of no team, without rate limits. */
    public TokenConfig(String name, byte[] sha256, Set<String> models) {
        this(name, sha256, models, null, null, false, null);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public String toString() {
        return "TokenConfig[name=" + name + ", models=" + models + ", rpm=" + rpm + ", tpm=" + tpm + ", metrics=" + metrics + ", team=" + team + ", budget=" + budget + ", admin=" + admin + ", maxConcurrent=" + maxConcurrent + "]";
    }
}
