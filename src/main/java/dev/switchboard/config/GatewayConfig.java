package dev.switchboard.config;

import java.util.List;
import java.util.Map;

/**
 * The whole parsed configuration. Immutable: a reload builds a new one.
 *
 * @param publicMetrics whether {@code /metrics} is readable without a token
 * @param shutdownGraceMs how long streams in flight may run on when the application stops
 * @param redis the store shared by several nodes, or null for state in memory (one node)
 * @param source where it came from, for log lines ("file /etc/switchboard.json", "environment")
 * @param jwtIssuers the trusted issuers of JWT bearer tokens ({@code auth.jwt}), in the file's order
 * @param database where the usage ledger and spend are kept
 */
public record GatewayConfig(
        Map<String, ProviderConfig> providers,
        Map<String, ModelConfig> models,
        Map<String, AliasConfig> aliases,
        List<TokenConfig> tokens,
        Map<String, TeamConfig> teams,
        long maxRequestBytes,
        boolean publicMetrics,
        long shutdownGraceMs,
        RedisConfig redis,
        String source,
        List<JwtIssuerConfig> jwtIssuers,
        DatabaseConfig database) {

    /** Largest accepted request body; OpenAI and Anthropic accept 32 MB too. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 32L * 1024 * 1024;

    /** Time streams in flight get to finish when the application stops. */
    public static final long DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

    /** A configuration with the default database. */
    public GatewayConfig(Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                         Map<String, AliasConfig> aliases, List<TokenConfig> tokens, Map<String, TeamConfig> teams,
                         long maxRequestBytes, boolean publicMetrics, long shutdownGraceMs, RedisConfig redis,
                         String source, List<JwtIssuerConfig> jwtIssuers) {
        this(providers, models, aliases, tokens, teams, maxRequestBytes, publicMetrics, shutdownGraceMs, redis, source,
                jwtIssuers, DatabaseConfig.DEFAULTS);
    }

    public GatewayConfig {
        database = database == null ? DatabaseConfig.DEFAULTS : database;
        // Insertion order is the listing order of GET /v1/models, so keep it.
        providers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(providers));
        models = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(models));
        aliases = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(aliases));
        tokens = List.copyOf(tokens);
        teams = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(teams));
        jwtIssuers = List.copyOf(jwtIssuers);
    }

    /** A configuration that trusts no issuer of JWTs: only its static tokens authenticate. */
    public GatewayConfig(Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                         Map<String, AliasConfig> aliases, List<TokenConfig> tokens, Map<String, TeamConfig> teams,
                         long maxRequestBytes, boolean publicMetrics, long shutdownGraceMs, RedisConfig redis,
                         String source) {
        this(providers, models, aliases, tokens, teams, maxRequestBytes, publicMetrics, shutdownGraceMs, redis, source,
                List.of());
    }
}
