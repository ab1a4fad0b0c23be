package dev.switchboard.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.config.JwtIssuerConfig;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The registered claims of a JWT whose signature holds (RFC 7519 §4.1): the audience includes
 * Switchboard's, {@code exp} is present and not past, {@code nbf}, when present, not ahead, both
 * with the skew given; and the reading of a named claim, which may be a path into nested objects
 * ({@code realm_access.roles}). Stateless.
 */
final class ClaimChecks {
    private ClaimChecks() {
    }

    /** Why the claims are refused, or null when they hold. The issuer was matched exactly before. */
    static JwtOutcome refusal(JwtIssuerConfig issuer, JWTClaimsSet claims, Date now, long skewSeconds) {
        List<String> audience = claims.getAudience();
        if (audience == null || !audience.contains(issuer.audience())) {
            return JwtOutcome.invalid("The token's audience (aud) does not include '" + issuer.audience() + "'.");
        }
        long skewMillis = skewSeconds * 1000;
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            return JwtOutcome.invalid("The token has no expiry (exp).");
        }
        if (now.getTime() - skewMillis >= expires.getTime()) {
            return JwtOutcome.invalid("The token has expired.");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.getTime() + skewMillis < notBefore.getTime()) {
            return JwtOutcome.invalid("The token is not valid yet (nbf).");
        }
        return null;
    }

    /** The claim at {@code path} if it is a string, else null. */
    static String string(JWTClaimsSet claims, String path) {
        return at(claims, path) instanceof String text ? text : null;
    }

    /** The claim at {@code path} as strings: one string, or the strings of an array; else none. */
    static List<String> strings(JWTClaimsSet claims, String path) {
        Object value = at(claims, path);
        if (value instanceof String text) {
            return List.of(text);
        }
        List<String> result = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof String text) {
                    result.add(text);
                }
            }
        }
        return result;
    }

    /** The claim named {@code path}, or, when there is none of that name, the value at its dotted path. */
    private static Object at(JWTClaimsSet claims, String path) {
        Object direct = claims.getClaim(path);
        if (direct != null || path.indexOf('.') < 0) {
            return direct;
        }
        Object value = claims.getClaims();
        for (String part : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(part);
        }
        return value;
    }
}
