package dev.switchboard.auth;

/** Reads the credential a client presents. Stateless. */
public final class Credentials {
    private static final String BEARER = "Bearer ";

    private Credentials() {
    }

    /**
     * The key of an {@code x-api-key} header, as Anthropic's SDKs send it
     * (docs/protocols/anthropic-messages-ingress.md §2), or null: surrounding blanks trimmed.
     */
    public static String apiKey(String header) {
        if (header == null) {
            return null;
        }
        String key = header.trim();
        return key.isEmpty() ? null : key;
    }

    /**
     * The token of an {@code Authorization: Bearer} credential (RFC 6750 §2.1), or null. The scheme
     * name is case-insensitive (RFC 9110 §11.1); one token, surrounding blanks trimmed.
     */
    public static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
