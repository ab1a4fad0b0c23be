package dev.switchboard.config;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code tokens}: each name once, a plain token or its digest, the models it may use and its limits. Stateless.
 */
final class TokenSection {
    private static final Set<String> TOKEN_FIELDS = Set.of("name", "token", "sha256", "models", "rpm", "tpm", "metrics", "team", "budget", "admin",
            "maxConcurrent");

    private TokenSection() {
    }

    static List<TokenConfig> tokens(ConfigReader read, JsonObject root, Map<String, ModelConfig> models,
                                    Map<String, AliasConfig> aliases, Map<String, TeamConfig> teams, boolean jwt) {
        JsonValue value = root.get("tokens");
        if (value == null && jwt) {
            return List.of();
        }
        if (value == null) {
            throw new ConfigException("tokens", "at least one token is required (or an issuer under 'auth.jwt'):"
                    + " without one no client can call the gateway");
        }
        JsonArray tokens = read.array(value, "tokens");
        if (tokens.isEmpty() && !jwt) {
            throw new ConfigException("tokens", "at least one token is required (or an issuer under 'auth.jwt'): without one no client can call the gateway");
        }
        List<TokenConfig> result = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            String path = "tokens[" + i + "]";
            JsonObject token = read.asObject(tokens.get(i), path);
            read.checkKeys(token, path, TOKEN_FIELDS);
            String name = read.string(token, "name", path, true);
            if (jwt && name.startsWith(JwtIssuerConfig.CALLER_PREFIX)) {
                throw new ConfigException(path + ".name", "must not start with '" + JwtIssuerConfig.CALLER_PREFIX + "' while 'auth.jwt'"
                        + " is configured: that prefix names JWT callers, whose limits a static token must not share");
            }
            if (!names.add(name)) {
                throw new ConfigException(path + ".name", "token name '" + name + "' is used twice");
            }
            String plain = read.string(token, "token", path, false);
            String hex = read.string(token, "sha256", path, false);
            byte[] digest;
            if (plain != null && hex != null) {
                throw new ConfigException(path, "give either 'token' or 'sha256', not both");
            } else if (plain != null) {
                ConfigParser.checkTokenLength(plain, path + ".token");
                digest = ConfigParser.sha256(plain);
            } else if (hex != null) {
                if (!hex.matches("[0-9a-fA-F]{64}")) {
                    throw new ConfigException(path + ".sha256", "must be 64 hexadecimal digits (the SHA-256 of the token)");
                }
                digest = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
            } else {
                throw new ConfigException(path, "a token needs either 'token' or 'sha256'");
            }
            Set<String> allowed = token.containsKey("models")
                    ? TeamSection.modelList(read, token.get("models"), path + ".models", models, aliases) : null;
            Long rpm = token.containsKey("rpm") ? (long) read.positiveInt(token.get("rpm"), path + ".rpm") : null;
            Long tpm = token.containsKey("tpm") ? (long) read.positiveInt(token.get("tpm"), path + ".tpm") : null;
            String team = read.string(token, "team", path, false);
            if (team != null && !teams.containsKey(team)) {
                throw new ConfigException(path + ".team", "names team '" + team + "', which is not defined under 'teams'");
            }
            Integer maxConcurrent = token.containsKey("maxConcurrent")
                    ? read.positiveInt(token.get("maxConcurrent"), path + ".maxConcurrent") : null;
            result.add(new TokenConfig(name, digest, allowed, rpm, tpm, read.bool(token, "metrics", path, false), team,
                    BudgetSection.budget(read, token, path), read.bool(token, "admin", path, false), maxConcurrent));
        }
        return result;
    }
}
