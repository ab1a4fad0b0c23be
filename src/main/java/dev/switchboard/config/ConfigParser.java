package dev.switchboard.config;

import dev.switchboard.json.Json;
import dev.switchboard.json.JsonSyntaxException;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON config file into a {@link GatewayConfig}, substituting environment variables in
 * every string value and checking every cross-reference. The first problem found is thrown as a
 * {@link ConfigException} naming its field, so the deployment stops on one clear line. Stateless.
 */
public final class ConfigParser {
    private static final Set<String> TOP_LEVEL =
            Set.of("providers", "models", "aliases", "tokens", "teams", "maxRequestBytes", "retry", "cooldown", "metrics",
                    "shutdownGraceMs", "maxTranslationFactor", "redis", "auth", "database", "requests");
    private static final Set<String> METRICS_FIELDS = Set.of("public");


    private ConfigParser() {
    }

    /**
     * A plain bearer token must be at least {@link TokenConfig#MIN_TOKEN_CHARACTERS} long; the
     * message says how long it is, never what it is.
     *
     * @throws ConfigException naming {@code field}
     */
    static void checkTokenLength(String token, String field) {
        if (token.length() < TokenConfig.MIN_TOKEN_CHARACTERS) {
            throw new ConfigException(field, token.isEmpty() ? "must not be empty"
                    : "is " + token.length() + " characters long; a bearer token needs at least "
                    + TokenConfig.MIN_TOKEN_CHARACTERS + ", so that it cannot be guessed");
        }
    }

    public static GatewayConfig parse(String json, Map<String, String> env, String source) {
        JsonObject root;
        try {
            root = Json.parseObject(json);
        } catch (JsonSyntaxException e) {
            throw new ConfigException(null, "the configuration must be one JSON object: " + e.getMessage());
        }
        return config(new ConfigReader(env), root, source);
    }

    /** Computes the digest under which a plain token is stored and compared. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /**
     * A header value may not hold CR, LF or any other control character but HTAB (RFC 9110
     * section 5.5): CR LF ends a header line on the wire (RFC 9112 section 5), so such a value
     * would at best be mangled on every upstream request and at worst add a header of its own.
     * The value itself is not repeated, since it is often a secret.
     */
    static void checkHeaderValue(String value, String path) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                throw new ConfigException(path, "must not contain " + (c == '\r' ? "a carriage return (CR)"
                        : c == '\n' ? "a line feed (LF)" : "a control character") + " (RFC 9110 section 5.5);"
                        + " a value read from a file or variable often ends with a stray line break");
            }
        }
    }

    /** {@code text} with control characters written as JSON escapes (CR as backslash-r, NUL as backslash-u0000). */
    static String escaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static GatewayConfig config(ConfigReader read, JsonObject root, String source) {
        read.checkKeys(root, null, TOP_LEVEL);
        RetryPolicy retry = ProviderSection.retry(read, read.object(root, "retry", null, false), "retry", RetryPolicy.DEFAULTS);
        CooldownPolicy cooldown = ProviderSection.cooldown(read, read.object(root, "cooldown", null, false), "cooldown", CooldownPolicy.DEFAULTS);
        int maxTranslationFactor = root.containsKey("maxTranslationFactor")
                ? read.positiveInt(root.get("maxTranslationFactor"), "maxTranslationFactor")
                : ProviderConfig.DEFAULT_MAX_TRANSLATION_FACTOR;
        Map<String, ProviderConfig> providers = ProviderSection.providers(read, read.object(root, "providers", null, true), retry, cooldown,
                maxTranslationFactor);
        Map<String, ModelConfig> models = ModelSection.models(read, read.object(root, "models", null, true), providers);
        Map<String, AliasConfig> aliases = ModelSection.aliases(read, read.object(root, "aliases", null, false), models);
        Map<String, TeamConfig> teams = TeamSection.teams(read, read.object(root, "teams", null, false), models, aliases);
        List<JwtIssuerConfig> jwtIssuers = AuthSection.jwtIssuers(read, root, teams);
        List<TokenConfig> tokens = TokenSection.tokens(read, root, models, aliases, teams, !jwtIssuers.isEmpty());
        long maxRequestBytes = GatewayConfig.DEFAULT_MAX_REQUEST_BYTES;
        if (root.containsKey("maxRequestBytes")) {
            maxRequestBytes = read.positiveInt(root.get("maxRequestBytes"), "maxRequestBytes");
        }
        JsonObject metrics = read.object(root, "metrics", null, false);
        read.checkKeys(metrics, "metrics", METRICS_FIELDS);
        boolean publicMetrics = read.bool(metrics, "public", "metrics", false);
        long shutdownGraceMs = root.containsKey("shutdownGraceMs")
                ? read.nonNegativeInt(root.get("shutdownGraceMs"), "shutdownGraceMs") : GatewayConfig.DEFAULT_SHUTDOWN_GRACE_MS;
        RedisConfig redis = RedisSection.redis(read, root);
        return new GatewayConfig(providers, models, aliases, tokens, teams, maxRequestBytes, publicMetrics, shutdownGraceMs,
                redis, source, jwtIssuers, DatabaseSection.database(read, root), RequestSection.requests(read, root));
    }
}
