package dev.switchboard.config;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code auth}: the trusted issuers of JWT bearer tokens (docs/identity.md). Every URL is
 * https, or http on a loopback address only: keys fetched in clear text from another host could be
 * swapped on the way. Stateless.
 */
final class AuthSection {
    private static final Set<String> AUTH_FIELDS = Set.of("jwt");
    private static final Set<String> JWT_FIELDS = Set.of("issuer", "audience", "jwksUri", "nameClaim", "teamsClaim",
            "teams", "defaultTeam", "sharedSecret");
    /** HS256 needs a key of at least its hash's size, 256 bits (RFC 7518 §3.2). */
    static final int MIN_SECRET_BYTES = 32;

    private AuthSection() {
    }

    /** The issuers of {@code auth.jwt}, in the file's order; empty when there is none. */
    static List<JwtIssuerConfig> jwtIssuers(ConfigReader read, JsonObject root, Map<String, TeamConfig> teams) {
        JsonObject auth = read.object(root, "auth", null, false);
        read.checkKeys(auth, "auth", AUTH_FIELDS);
        if (!auth.containsKey("jwt")) {
            return List.of();
        }
        JsonArray list = read.array(auth.get("jwt"), "auth.jwt");
        List<JwtIssuerConfig> result = new ArrayList<>();
        Set<String> issuers = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "auth.jwt[" + i + "]";
            JsonObject jwt = read.asObject(list.get(i), path);
            read.checkKeys(jwt, path, JWT_FIELDS);
            String issuer = read.string(jwt, "issuer", path, true);
            checkUrl(issuer, path + ".issuer", true);
            if (issuer.length() > JwtIssuerConfig.MAX_ISSUER_CHARS) {
                throw new ConfigException(path + ".issuer", "is longer than " + JwtIssuerConfig.MAX_ISSUER_CHARS
                        + " characters (it is part of each caller's name, which the ledger keeps)");
            }
            if (!issuers.add(issuer)) {
                throw new ConfigException(path + ".issuer", "issuer '" + issuer + "' is listed twice");
            }
            String audience = read.string(jwt, "audience", path, true);
            if (audience.isBlank()) {
                throw new ConfigException(path + ".audience", "must not be blank");
            }
            String jwks = read.string(jwt, "jwksUri", path, false);
            URI jwksUri = jwks == null ? null : checkUrl(jwks, path + ".jwksUri", false);
            String nameClaim = read.string(jwt, "nameClaim", path, false);
            if (nameClaim != null && nameClaim.isBlank()) {
                throw new ConfigException(path + ".nameClaim", "must not be blank");
            }
            String teamsClaim = read.string(jwt, "teamsClaim", path, false);
            Map<String, String> mapping = mapping(read, read.object(jwt, "teams", path, false), path + ".teams", teams);
            if (!mapping.isEmpty() && teamsClaim == null) {
                throw new ConfigException(path + ".teamsClaim", "is required when 'teams' maps claim values to teams");
            }
            String defaultTeam = read.string(jwt, "defaultTeam", path, false);
            if (defaultTeam != null && !teams.containsKey(defaultTeam)) {
                throw new ConfigException(path + ".defaultTeam", "names team '" + defaultTeam
                        + "', which is not defined under 'teams'");
            }
            if (mapping.isEmpty() && defaultTeam == null) {
                throw new ConfigException(path + ".teams", "maps no claim value to a team and there is no"
                        + " 'defaultTeam': every caller of this issuer would be refused");
            }
            String secret = read.string(jwt, "sharedSecret", path, false);
            byte[] sharedSecret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
            if (sharedSecret != null && sharedSecret.length < MIN_SECRET_BYTES) {
                throw new ConfigException(path + ".sharedSecret", "is " + sharedSecret.length + " bytes long; HMAC"
                        + " signing needs at least " + MIN_SECRET_BYTES + " (RFC 7518 section 3.2)");
            }
            result.add(new JwtIssuerConfig(issuer, audience, jwksUri,
                    nameClaim == null ? JwtIssuerConfig.DEFAULT_NAME_CLAIM : nameClaim, teamsClaim, mapping, defaultTeam,
                    sharedSecret));
        }
        return result;
    }

    private static Map<String, String> mapping(ConfigReader read, JsonObject object, String path,
                                               Map<String, TeamConfig> teams) {
        Map<String, String> mapping = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            String field = path + "." + entry.getKey();
            String team = read.substitute(read.asString(entry.getValue(), field), field);
            if (!teams.containsKey(team)) {
                throw new ConfigException(field, "names team '" + team + "', which is not defined under 'teams'");
            }
            mapping.put(entry.getKey(), team);
        }
        return mapping;
    }

    /**
     * An absolute https URL, or http on a loopback host (localhost, 127.0.0.0/8, [::1]); an issuer
     * has no query or fragment (OpenID Connect Discovery 1.0 §3).
     */
    static URI checkUrl(String value, String path, boolean issuer) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(path, "is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !scheme.equals("https") && !scheme.equals("http")) {
            throw new ConfigException(path, "must be an https:// URL with a host");
        }
        if (!JwtIssuerConfig.isTrustedUrl(uri)) {
            throw new ConfigException(path, "must use https://; http:// is accepted only on a loopback address"
                    + " (localhost, 127.0.0.1, [::1]), since keys fetched in clear text could be replaced on the way");
        }
        if (issuer && (uri.getRawQuery() != null || uri.getRawFragment() != null)) {
            throw new ConfigException(path, "must have no query and no fragment (OpenID Connect Discovery 1.0 section 3)");
        }
        return uri;
    }
}
