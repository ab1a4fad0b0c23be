package dev.switchboard.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.auth.Caller;
import dev.switchboard.config.JwtIssuerConfig;
import dev.switchboard.config.TeamConfig;
import dev.switchboard.limits.Limits;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Authenticates bearer tokens that are JWTs from a configured issuer (docs/identity.md): the
 * signature (RSA, RSASSA-PSS and ECDSA with the issuer's published keys; HMAC only with a
 * configured shared secret; unsigned tokens never), then {@code iss}, {@code aud}, {@code exp} and
 * {@code nbf} with {@link #CLOCK_SKEW_SECONDS} of leeway (RFC 7519 §4.1), then the caller's name
 * and team. A token whose key is cached is decided at once, without waiting for anything; only one
 * naming a key the cache lacks waits for the issuer's keys to be fetched again. Built per
 * configuration; shared and immutable (the key caches it uses outlive it).
 */
public final class JwtAuthenticator {
    /** Leeway for the clocks of the issuer and Switchboard when checking exp and nbf. */
    static final long CLOCK_SKEW_SECONDS = 60;
    /** Keys tried for a token that names none (no kid) and matches several: a bound on the work a token can cause. */
    static final int MAX_KEYS_TRIED = 4;

    /**
     * The longest name claim taken: with the prefix and the longest issuer accepted
     * ({@code JwtIssuerConfig.MAX_ISSUER_CHARS}) a caller's name stays within the 256 characters the
     * ledger stores.
     */
    static final int MAX_NAME_CHARS = 128;

    private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();

    private final Map<String, Issuer> issuers = new LinkedHashMap<>();
    private final Clock clock;

    /** One configured issuer with what checking its tokens needs. */
    private record Issuer(JwtIssuerConfig config, IssuerKeys keys, TeamMapping teams) {
    }

    /**
     * Starts fetching the keys of each issuer not yet cached, in the background, so that the first
     * tokens usually find them.
     */
    public JwtAuthenticator(List<JwtIssuerConfig> configured, Map<String, TeamConfig> teams, KeyDirectory keys,
                            Clock clock) {
        this.clock = clock;
        for (JwtIssuerConfig config : configured) {
            boolean published = config.jwksUri() != null || config.sharedSecret() == null;
            IssuerKeys issuerKeys = published ? keys.keysOf(config) : null;
            issuers.put(config.issuer(), new Issuer(config, issuerKeys, new TeamMapping(config, teams)));
            if (issuerKeys != null && issuerKeys.cached() == null) {
                issuerKeys.refresh();
            }
        }
    }

    /**
     * Whether {@code token} has a JWT's shape: its JOSE header is a JSON object (so its base64url
     * starts with "ey") and a dot follows it. Anything else is left to the static tokens.
     */
    static boolean looksLikeJwt(String token) {
        return token.startsWith("ey") && token.indexOf('.') > 0;
    }

    /**
     * The outcome of checking {@code token}, or null when it does not parse as a JWT (it is then
     * checked against the static tokens). The stage is complete on return unless the token names a
     * key the cache lacks; then it completes when the keys have been fetched again, within the
     * fetch's deadline, on the fetching thread. It never fails.
     */
    public CompletableFuture<JwtOutcome> authenticate(String token) {
        if (!looksLikeJwt(token)) {
            return null;
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            return null;
        }
        if (jwt instanceof PlainJWT) {
            return done(JwtOutcome.invalid("The token is unsigned (alg none); only signed tokens are accepted."));
        }
        if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
            return done(JwtOutcome.invalid("The token is encrypted (JWE); only signed tokens (JWS) are accepted."));
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            return done(JwtOutcome.invalid("The token's claims are not a JSON object."));
        }
        Issuer issuer = claims.getIssuer() == null ? null : issuers.get(claims.getIssuer());
        if (issuer == null) {
            return done(JwtOutcome.invalid("The token's issuer (iss) is not one Switchboard trusts."));
        }
        JWSHeader header = signed.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            byte[] secret = issuer.config().sharedSecret();
            if (secret == null) {
                return done(JwtOutcome.invalid("The token is signed with " + alg + " (HMAC), which this issuer is not"
                        + " configured for; it must be signed with the issuer's published keys."));
            }
            try {
                return done(verified(issuer, signed, claims, List.of(new MACVerifier(secret))));
            } catch (JOSEException e) {
                return done(JwtOutcome.invalid("The token's signature cannot be checked: " + e.getMessage()));
            }
        }
        if (!JWSAlgorithm.Family.RSA.contains(alg) && !JWSAlgorithm.Family.EC.contains(alg)) {
            return done(JwtOutcome.invalid("The token's algorithm " + alg + " is not accepted (RS, PS or ES algorithms are)."));
        }
        if (issuer.keys() == null) {
            return done(JwtOutcome.invalid("The token is signed with " + alg + ", but this issuer is configured with a"
                    + " shared secret (HMAC) only."));
        }
        List<JWK> candidates = candidates(header, issuer.keys().cached());
        if (!candidates.isEmpty()) {
            return done(withKeys(issuer, signed, claims, candidates));
        }
        return issuer.keys().refresh().thenApply(set -> {
            if (set == null) {
                return JwtOutcome.refused(JwtOutcome.Refusal.KEYS_UNAVAILABLE, "The signing keys of the token's issuer"
                        + " cannot be fetched at the moment; try again shortly.");
            }
            List<JWK> found = candidates(header, set);
            if (found.isEmpty()) {
                return JwtOutcome.invalid("The token's signing key" + (header.getKeyID() == null ? ""
                        : " (kid " + safe(header.getKeyID()) + ")") + " is not among its issuer's published keys.");
            }
            return withKeys(issuer, signed, claims, found);
        });
    }

    private static CompletableFuture<JwtOutcome> done(JwtOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    /** The keys of {@code set} the header may have been signed with: its kid, a key type that fits its alg, for signing. */
    private static List<JWK> candidates(JWSHeader header, JWKSet set) {
        if (set == null) {
            return List.of();
        }
        List<JWK> keys = new JWKSelector(JWKMatcher.forJWSHeader(header)).select(set);
        return keys.size() > MAX_KEYS_TRIED ? keys.subList(0, MAX_KEYS_TRIED) : keys;
    }

    private JwtOutcome withKeys(Issuer issuer, SignedJWT signed, JWTClaimsSet claims, List<JWK> keys) {
        List<JWSVerifier> verifiers = new ArrayList<>(keys.size());
        for (JWK key : keys) {
            if (key instanceof AsymmetricJWK asymmetric) {
                try {
                    verifiers.add(VERIFIERS.createJWSVerifier(signed.getHeader(), asymmetric.toPublicKey()));
                } catch (JOSEException e) {
                    // A key that cannot check this algorithm (too short an RSA key, another curve) is no candidate.
                }
            }
        }
        return verified(issuer, signed, claims, verifiers);
    }

    /** Checks the signature with the first verifier that accepts it, then the claims, then maps the caller. */
    private JwtOutcome verified(Issuer issuer, SignedJWT signed, JWTClaimsSet claims, List<JWSVerifier> verifiers) {
        boolean valid = false;
        for (JWSVerifier verifier : verifiers) {
            try {
                if (signed.verify(verifier)) {
                    valid = true;
                    break;
                }
            } catch (JOSEException e) {
                // A key that cannot check this token (a critical header it does not know) verifies nothing.
            }
        }
        if (!valid) {
            return JwtOutcome.invalid("The token's signature is not valid.");
        }
        JwtOutcome refused = ClaimChecks.refusal(issuer.config(), claims, Date.from(clock.instant()), CLOCK_SKEW_SECONDS);
        if (refused != null) {
            return refused;
        }
        String name = ClaimChecks.string(claims, issuer.config().nameClaim());
        if (name == null || name.isBlank()) {
            return JwtOutcome.invalid("The token has no '" + issuer.config().nameClaim() + "' claim naming the caller.");
        }
        if (name.length() > MAX_NAME_CHARS) {
            return JwtOutcome.invalid("The token's '" + issuer.config().nameClaim() + "' claim is longer than "
                    + MAX_NAME_CHARS + " characters.");
        }
        TeamConfig team = issuer.teams().teamOf(issuer.config().teamsClaim() == null ? List.of()
                : ClaimChecks.strings(claims, issuer.config().teamsClaim()));
        if (team == null) {
            return JwtOutcome.refused(JwtOutcome.Refusal.NO_TEAM, "Caller '" + safe(name) + "' belongs to no team"
                    + " allowed to use Switchboard.");
        }
        return JwtOutcome.accepted(new Caller(callerName(issuer.config().issuer(), name), null, Limits.NONE, false, team));
    }

    /**
     * A JWT caller's name: the prefix no static token may carry, its issuer and its name claim, so
     * that a JWT {@code alice} shares limits, budgets and ledger rows with neither a static token
     * {@code alice} nor another issuer's {@code alice} (an issuer has no fragment, so the first
     * {@code #} ends it).
     */
    static String callerName(String issuer, String name) {
        return JwtIssuerConfig.CALLER_PREFIX + issuer + "#" + name;
    }

    /** {@code text} shortened and stripped of control characters, for a message to the client. */
    static String safe(String text) {
        String shortened = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
