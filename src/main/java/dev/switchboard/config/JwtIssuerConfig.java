package dev.switchboard.config;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trusted issuer of JWT bearer tokens ({@code auth.jwt[]}, docs/identity.md). The shared
 * secret is kept out of {@link #toString()}. Immutable.
 *
 * @param issuer the exact {@code iss} its tokens carry
 * @param audience the {@code aud} value its tokens must hold for Switchboard
 * @param jwksUri where its signing keys are, or null to find them in its OpenID discovery document
 * @param nameClaim the claim naming the caller
 * @param teamsClaim the claim (a string or an array of strings) naming the caller's groups, or null
 * @param teams claim value → team name under {@code teams}, in the file's order
 * @param defaultTeam the team of a caller none of whose groups maps to one, or null to refuse it
 * @param sharedSecret the HMAC key, in UTF-8, when tokens may be signed with HS256/384/512; else null
 */
public record JwtIssuerConfig(String issuer, String audience, URI jwksUri, String nameClaim, String teamsClaim,
                              Map<String, String> teams, String defaultTeam, byte[] sharedSecret) {
    /** The claim that names a caller when {@code nameClaim} is not given: the subject (RFC 7519 §4.1.2). */
    public static final String DEFAULT_NAME_CLAIM = "sub";

    /**
     * How the name of every JWT caller begins, before its issuer and its name claim: no static
     * token may be named so, so that the two never share limits, budgets or ledger rows.
     */
    public static final String CALLER_PREFIX = "jwt:";

    /** The longest issuer accepted, so that a JWT caller's name fits the ledger's 256 characters. */
    public static final int MAX_ISSUER_CHARS = 120;

    public JwtIssuerConfig {
        teams = Collections.unmodifiableMap(new LinkedHashMap<>(teams));
        sharedSecret = sharedSecret == null ? null : sharedSecret.clone();
    }

    /** The path of the OpenID discovery document under an issuer (OpenID Connect Discovery 1.0 §4). */
    public URI discoveryUri() {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }

    /**
     * Whether keys may be fetched from {@code uri}: https, or http on a loopback host (localhost,
     * 127.0.0.0/8, [::1]) only, since keys fetched in clear text from elsewhere could be replaced on the way.
     */
    public static boolean isTrustedUrl(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        return uri.getHost() != null && (scheme.equals("https") || scheme.equals("http") && isLoopback(uri.getHost()));
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
    }

    @Override
    public byte[] sharedSecret() {
        return sharedSecret == null ? null : sharedSecret.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JwtIssuerConfig that && issuer.equals(that.issuer) && audience.equals(that.audience)
                && java.util.Objects.equals(jwksUri, that.jwksUri) && nameClaim.equals(that.nameClaim)
                && java.util.Objects.equals(teamsClaim, that.teamsClaim) && teams.equals(that.teams)
                && java.util.Objects.equals(defaultTeam, that.defaultTeam)
                && java.util.Arrays.equals(sharedSecret, that.sharedSecret);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(issuer, audience, jwksUri, nameClaim, teamsClaim, teams, defaultTeam);
    }

    @Override
    public String toString() {
        return "JwtIssuerConfig[issuer=" + issuer + ", audience=" + audience + ", jwksUri=" + jwksUri + ", nameClaim="
                + nameClaim + ", teamsClaim=" + teamsClaim + ", teams=" + teams + ", defaultTeam=" + defaultTeam
                + ", sharedSecret=" + (sharedSecret == null ? "none" : "(set)") + "]";
    }
}
