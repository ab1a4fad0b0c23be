package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.config.BudgetConfig;
import dev.switchboard.config.BudgetPeriod;
import dev.switchboard.config.JwtIssuerConfig;
import dev.switchboard.config.TeamConfig;
import dev.switchboard.time.ManualScheduler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JWTs signed with keys made here, their JWK set served from memory: no socket is opened. */
class JwtAuthenticatorTest {
    static final String ISSUER = "https://login.example.com/realms/acme";
    static final URI JWKS = URI.create(ISSUER + "/protocol/openid-connect/certs");
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    static RSAKey rsa1;
    static RSAKey rsa2;
    static ECKey ec;

    final ManualScheduler scheduler = new ManualScheduler();
    final FakeFetcher fetcher = new FakeFetcher();
    final Map<String, TeamConfig> teams = new LinkedHashMap<>();

    /** Answers from a map; counts fetches; can be taken down, or held until released. */
    static final class FakeFetcher implements KeyFetcher {
        final Map<URI, byte[]> documents = new LinkedHashMap<>();
        final List<URI> fetched = new ArrayList<>();
        boolean down;
        CompletableFuture<byte[]> held;

        @Override
        public synchronized CompletableFuture<byte[]> fetch(URI uri) {
            fetched.add(uri);
            if (held != null) {
                return held;
            }
            byte[] body = documents.get(uri);
            return down || body == null ? CompletableFuture.failedFuture(new java.io.IOException("refused"))
                    : CompletableFuture.completedFuture(body);
        }

        void serve(URI uri, JWK... keys) {
            documents.put(uri, new JWKSet(List.of(keys)).toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @BeforeAll
    static void keys() throws Exception {
        rsa1 = new RSAKeyGenerator(2048).keyID("k1").generate();
        rsa2 = new RSAKeyGenerator(2048).keyID("k2").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
    }

    @BeforeEach
    void setUp() {
        teams.put("research", new TeamConfig("research", Set.of("smart"), 100L, 1000L,
                new BudgetConfig(new java.math.BigDecimal("50"), BudgetPeriod.MONTH)));
        teams.put("trial", new TeamConfig("trial", Set.of("fast"), 5L, 50L));
        teams.put("ops", new TeamConfig("ops", null, null, null));
        fetcher.serve(JWKS, rsa1, ec);
    }

    JwtIssuerConfig issuer(URI jwks, String defaultTeam, byte[] secret) {
        return new JwtIssuerConfig(ISSUER, "switchboard", jwks, "preferred_username", "groups",
                Map.of("ml-engineers", "research", "interns", "trial", "sre", "ops"), defaultTeam, secret);
    }

    JwtAuthenticator authenticator(JwtIssuerConfig... issuers) {
        return new JwtAuthenticator(List.of(issuers), teams, new KeyDirectory(fetcher, scheduler),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience("switchboard").subject("u-1")
                .claim("preferred_username", "alice").claim("groups", List.of("ml-engineers"))
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(300)));
    }

    static String rs256(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    static JwtOutcome now(CompletableFuture<JwtOutcome> stage) {
        assertThat(stage).as("decided without waiting").isDone();
        return stage.join();
    }

    @Test
    void acceptsAValidTokenAndNamesTheCallerUnderItsIssuer() throws Exception {
        JwtOutcome outcome = now(authenticator(issuer(JWKS, null, null)).authenticate(rs256(rsa1, claims().build())));
        assertThat(outcome.refusal()).isNull();
        assertThat(outcome.caller().name()).isEqualTo("jwt:" + ISSUER + "#alice").isNotEqualTo("alice");
        assertThat(outcome.caller().team().name()).isEqualTo("research");
        assertThat(outcome.caller().mayUse("smart")).isTrue();
        assertThat(outcome.caller().mayUse("fast")).isFalse();
    }

    @Test
    void acceptsEs256AndPs256() throws Exception {
        JwtAuthenticator auth = authenticator(issuer(JWKS, null, null));
        SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("e1").build(), claims().build());
        es.sign(new ECDSASigner(ec));
        assertThat(now(auth.authenticate(es.serialize())).refusal()).isNull();
        SignedJWT ps = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("k1").build(), claims().build());
        ps.sign(new RSASSASigner(rsa1));
        assertThat(now(auth.authenticate(ps.serialize())).refusal()).isNull();
    }

    @Test
    void aStaticTokenIsNoJwt() {
        JwtAuthenticator auth = authenticator(issuer(JWKS, null, null));
        assertThat(auth.authenticate("sk-static-token-123")).isNull();
        assertThat(auth.authenticate("eyJ.not.base64-json")).isNull();
    }

    @Test
    void refusesExpiredNotYetValidWrongAudienceAndWrongIssuer() throws Exception {
        JwtAuthenticator auth = authenticator(issuer(JWKS, null, null));
        assertInvalid(auth, rs256(rsa1, claims().expirationTime(Date.from(NOW.minusSeconds(61))).build()), "expired");
        assertThat(now(auth.authenticate(rs256(rsa1, claims().expirationTime(Date.from(NOW.minusSeconds(30))).build())))
                .refusal()).as("within the 60 s skew").isNull();
        assertInvalid(auth, rs256(rsa1, claims().expirationTime(null).build()), "no expiry");
        assertInvalid(auth, rs256(rsa1, claims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build()), "not valid yet");
        assertInvalid(auth, rs256(rsa1, claims().audience("someone-else").build()), "audience");
        assertInvalid(auth, rs256(rsa1, claims().issuer("https://evil.example.com").build()), "issuer");
    }

    @Test
    void refusesAlgNone() {
        JwtAuthenticator auth = authenticator(issuer(JWKS, null, null));
        assertInvalid(auth, new PlainJWT(claims().build()).serialize(), "unsigned");
    }

    @Test
    void refusesHmacSignedWithTheRsaPublicKey() throws Exception {
        // The classic confusion: HS256 keyed with the issuer's public key, which anyone can read.
        byte[] publicKey = rsa1.toRSAPublicKey().getEncoded();
        byte[] pem = ("-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(publicKey)
                + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.UTF_8);
        for (byte[] secret : List.of(publicKey, pem)) {
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
            forged.sign(new MACSigner(secret));
            assertInvalid(authenticator(issuer(JWKS, null, null)), forged.serialize(), "HMAC");
            byte[] configured = "a-shared-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
            assertInvalid(authenticator(issuer(JWKS, null, configured)), forged.serialize(), "signature");
        }
    }

    @Test
    void acceptsHmacWithTheConfiguredSecretOnly() throws Exception {
        byte[] secret = "a-shared-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
        JwtAuthenticator auth = authenticator(issuer(null, null, secret));
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        jwt.sign(new MACSigner(secret));
        assertThat(now(auth.authenticate(jwt.serialize())).refusal()).isNull();
        assertThat(fetcher.fetched).as("a secret-only issuer publishes no keys").isEmpty();
        assertInvalid(auth, rs256(rsa1, claims().build()), "shared secret");
    }

    @Test
    void refusesATamperedSignature() throws Exception {
        String token = rs256(rsa1, claims().build());
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + Base64URL.encode(claims().claim("preferred_username", "root").build()
                .toString()) + "." + parts[2];
        assertInvalid(authenticator(issuer(JWKS, null, null)), tampered, "signature");
    }

    @Test
    void rotationFetchesTheKeysAgainForAnUnknownKidAtMostEvery30Seconds() throws Exception {
        JwtAuthenticator auth = authenticator(issuer(JWKS, null, null));
        assertThat(fetcher.fetched).containsExactly(JWKS);
        // The issuer rotates to k2 more than 30 s after the first fetch: one fetch picks it up.
        fetcher.serve(JWKS, rsa2);
        scheduler.advance(31, TimeUnit.SECONDS);
        assertThat(auth.authenticate(rs256(rsa2, claims().build())).join().refusal()).isNull();
        assertThat(fetcher.fetched).hasSize(2);
        // A kid nobody published, right after: refused without another fetch.
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k9").generate();
        assertInvalid(auth, rs256(stranger, claims().build()), "not among");
        assertThat(fetcher.fetched).hasSize(2);
        // 31 s later the same unknown kid is worth one more fetch, and is still refused.
        scheduler.advance(31, TimeUnit.SECONDS);
        assertThat(auth.authenticate(rs256(stranger, claims().build())).join().message()).contains("not among");
        assertThat(fetcher.fetched).hasSize(3);
        // The old key k1 is gone from the set.
        assertThat(auth.authenticate(rs256(rsa1, claims().build())).join().refusal())
                .isEqualTo(JwtOutcome.Refusal.INVALID_TOKEN);
    }

    @Test
    void aTokenWaitingForKeysCompletesWhenTheyArrive() throws Exception {
        fetcher.held = new CompletableFuture<>();
        JwtAuthenticator auth = authenticator(issuer(JWKS, null, null));
        CompletableFuture<JwtOutcome> waiting = auth.authenticate(rs256(rsa1, claims().build()));
        assertThat(waiting).isNotDone();
        fetcher.held.complete(new JWKSet(rsa1).toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8));
        assertThat(waiting).isDone();
        assertThat(waiting.join().refusal()).isNull();
        assertThat(fetcher.fetched).as("the waiting token shared the fetch in flight").hasSize(1);
    }

    @Test
    void aFetchThatNeverAnswersEndsAtItsDeadline() throws Exception {
        fetcher.held = new CompletableFuture<>();
        JwtAuthenticator auth = authenticator(issuer(JWKS, null, null));
        CompletableFuture<JwtOutcome> waiting = auth.authenticate(rs256(rsa1, claims().build()));
        scheduler.advance(IssuerKeys.REFRESH_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(waiting).isDone();
        assertThat(waiting.join().refusal()).isEqualTo(JwtOutcome.Refusal.KEYS_UNAVAILABLE);
    }

    @Test
    void anIdentityProviderOutageStopsNoCallerWhoseKeyIsCached() throws Exception {
        JwtAuthenticator auth = authenticator(issuer(JWKS, null, null));
        fetcher.down = true;
        scheduler.advance(5, TimeUnit.MINUTES);
        assertThat(now(auth.authenticate(rs256(rsa1, claims().build()))).refusal()).isNull();
        // An unknown kid during the outage: one fetch fails, the cached keys stay in use.
        assertInvalid(auth, rs256(rsa2, claims().build()), "not among");
        assertThat(now(auth.authenticate(rs256(rsa1, claims().build()))).refusal()).isNull();
        // A reload of the configuration keeps the keys: the directory outlives the authenticator.
    }

    @Test
    void keysNeverFetchedMeanTheIssuerIsUnavailable() throws Exception {
        fetcher.down = true;
        JwtAuthenticator auth = authenticator(issuer(JWKS, null, null));
        scheduler.advance(31, TimeUnit.SECONDS);
        assertThat(auth.authenticate(rs256(rsa1, claims().build())).join().refusal())
                .isEqualTo(JwtOutcome.Refusal.KEYS_UNAVAILABLE);
    }

    @Test
    void theKeysAreFoundThroughTheDiscoveryDocument() throws Exception {
        fetcher.documents.put(URI.create(ISSUER + "/.well-known/openid-configuration"),
                ("{\"issuer\":\"" + ISSUER + "\",\"jwks_uri\":\"" + JWKS + "\"}").getBytes(StandardCharsets.UTF_8));
        JwtAuthenticator auth = authenticator(issuer(null, null, null));
        assertThat(now(auth.authenticate(rs256(rsa1, claims().build()))).refusal()).isNull();
        assertThat(fetcher.fetched).containsExactly(URI.create(ISSUER + "/.well-known/openid-configuration"), JWKS);
    }

    @Test
    void aDiscoveryDocumentOfAnotherIssuerIsNotTrusted() throws Exception {
        fetcher.documents.put(URI.create(ISSUER + "/.well-known/openid-configuration"),
                ("{\"issuer\":\"https://evil.example.com\",\"jwks_uri\":\"" + JWKS + "\"}").getBytes(StandardCharsets.UTF_8));
        JwtAuthenticator auth = authenticator(issuer(null, null, null));
        assertThat(auth.authenticate(rs256(rsa1, claims().build())).join().refusal())
                .isEqualTo(JwtOutcome.Refusal.KEYS_UNAVAILABLE);
    }

    @Test
    void aReloadKeepsTheKeysOfTheIssuersStillConfigured() throws Exception {
        KeyDirectory directory = new KeyDirectory(fetcher, scheduler);
        JwtIssuerConfig config = issuer(JWKS, null, null);
        new JwtAuthenticator(List.of(config), teams, directory, Clock.fixed(NOW, ZoneOffset.UTC));
        fetcher.down = true;
        directory.retain(List.of(config));
        JwtAuthenticator reloaded = new JwtAuthenticator(List.of(config), teams, directory, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(now(reloaded.authenticate(rs256(rsa1, claims().build()))).refusal()).isNull();
        assertThat(fetcher.fetched).hasSize(1);
        directory.retain(List.of());
        new JwtAuthenticator(List.of(config), teams, directory, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(fetcher.fetched).as("an issuer dropped and added again starts afresh").hasSize(2);
    }

    @Test
    void severalTeamsTakeTheWidestModelsAndTheFirstTeamsLimits() throws Exception {
        JwtAuthenticator auth = authenticator(issuer(JWKS, null, null));
        JwtOutcome outcome = now(auth.authenticate(rs256(rsa1, claims()
                .claim("groups", List.of("interns", "ml-engineers")).build())));
        TeamConfig team = outcome.caller().team();
        assertThat(team.name()).as("first in the configuration's teams").isEqualTo("research");
        assertThat(team.rpm()).isEqualTo(100L);
        assertThat(team.budget()).isEqualTo(teams.get("research").budget());
        assertThat(team.models()).containsExactlyInAnyOrder("smart", "fast");
        JwtOutcome withAll = now(auth.authenticate(rs256(rsa1, claims()
                .claim("groups", List.of("interns", "sre")).build())));
        assertThat(withAll.caller().team().name()).isEqualTo("trial");
        assertThat(withAll.caller().team().models()).as("ops allows every model").isNull();
    }

    @Test
    void noMatchingTeamIsTheDefaultTeamOrARefusal() throws Exception {
        String token = rs256(rsa1, claims().claim("groups", List.of("visitors")).build());
        assertThat(now(authenticator(issuer(JWKS, null, null)).authenticate(token)).refusal())
                .isEqualTo(JwtOutcome.Refusal.NO_TEAM);
        assertThat(now(authenticator(issuer(JWKS, "trial", null)).authenticate(token)).caller().team().name())
                .isEqualTo("trial");
        String noGroups = rs256(rsa1, claims().claim("groups", null).build());
        assertThat(now(authenticator(issuer(JWKS, null, null)).authenticate(noGroups)).refusal())
                .isEqualTo(JwtOutcome.Refusal.NO_TEAM);
    }

    @Test
    void aNestedGroupsClaimAndAMissingName() throws Exception {
        JwtIssuerConfig nested = new JwtIssuerConfig(ISSUER, "switchboard", JWKS, "preferred_username",
                "realm_access.roles", Map.of("ml-engineers", "research"), null, null);
        JwtAuthenticator auth = authenticator(nested);
        String token = rs256(rsa1, claims().claim("realm_access", Map.of("roles", List.of("ml-engineers"))).build());
        assertThat(now(auth.authenticate(token)).caller().team().name()).isEqualTo("research");
        assertInvalid(auth, rs256(rsa1, claims().claim("preferred_username", null)
                .claim("realm_access", Map.of("roles", List.of("ml-engineers"))).build()), "preferred_username");
        assertInvalid(auth, rs256(rsa1, claims().claim("preferred_username", "a".repeat(129))
                .claim("realm_access", Map.of("roles", List.of("ml-engineers"))).build()), "longer than 128");
    }

    static void assertInvalid(JwtAuthenticator auth, String token, String fragment) {
        JwtOutcome outcome = auth.authenticate(token).join();
        assertThat(outcome.refusal()).isEqualTo(JwtOutcome.Refusal.INVALID_TOKEN);
        assertThat(outcome.message()).contains(fragment);
        assertThat(outcome.message()).doesNotContain(token);
    }
}
