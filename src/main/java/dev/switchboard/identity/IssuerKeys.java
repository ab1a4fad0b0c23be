package dev.switchboard.identity;

import com.nimbusds.jose.jwk.JWKSet;
import dev.switchboard.config.JwtIssuerConfig;
import dev.switchboard.json.Json;
import dev.switchboard.time.Scheduler;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of one issuer, cached: fetched once at first use, and again when a token names
 * a key the cache lacks, at most once per {@link #REFETCH_INTERVAL_NANOS}. One fetch is in flight
 * at a time and every caller waiting for keys shares it. A failed fetch keeps the keys already
 * held, so an identity provider that is down stops no caller whose key is cached. The JWK set's
 * address is the configured one or, without one, the {@code jwks_uri} of the issuer's OpenID
 * discovery document (OpenID Connect Discovery 1.0 §4), whose {@code issuer} must be the issuer
 * itself (§4.3). Shared; thread-safe; outlives configuration reloads.
 */
final class IssuerKeys {
    private static final Logger LOG = LoggerFactory.getLogger("switchboard");
    /** At most one fetch per issuer in this period, so that tokens naming unknown keys cannot hammer the issuer. */
    static final long REFETCH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Deadline of one refresh (discovery and key set together); waiting callers are answered by then. */
    static final long REFRESH_DEADLINE_MILLIS = 10_000;

    private final JwtIssuerConfig issuer;
    private final KeyFetcher fetcher;
    private final Scheduler scheduler;
    private final Object lock = new Object();
    private volatile JWKSet keys;
    private volatile URI jwksUri;
    /** Guarded by {@link #lock}. */
    private CompletableFuture<JWKSet> inFlight;
    /** Guarded by {@link #lock}: when the last fetch started, valid once {@link #fetched} is set. */
    private long lastFetchNanos;
    private boolean fetched;
    private volatile boolean failing;

    IssuerKeys(JwtIssuerConfig issuer, KeyFetcher fetcher, Scheduler scheduler) {
        this.issuer = issuer;
        this.fetcher = fetcher;
        this.scheduler = scheduler;
        this.jwksUri = issuer.jwksUri();
    }

    /** The keys held now, or null before the first fetch succeeded. */
    JWKSet cached() {
        return keys;
    }

    /**
     * Fetches the keys again unless a fetch started less than {@link #REFETCH_INTERVAL_NANOS} ago
     * (then it answers with the keys held, or with the fetch in flight). Completes with the keys
     * held afterwards, null when none could ever be fetched; never fails.
     */
    CompletableFuture<JWKSet> refresh() {
        CompletableFuture<JWKSet> result;
        synchronized (lock) {
            if (inFlight != null) {
                return inFlight;
            }
            long now = scheduler.nanoTime();
            if (fetched && now - lastFetchNanos < REFETCH_INTERVAL_NANOS) {
                return CompletableFuture.completedFuture(keys);
            }
            fetched = true;
            lastFetchNanos = now;
            result = new CompletableFuture<>();
            inFlight = result;
        }
        Scheduler.Cancellable deadline = scheduler.schedule(() -> finish(result, null, new TimeoutException(
                "no answer within " + REFRESH_DEADLINE_MILLIS + " ms")), REFRESH_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        CompletableFuture<JWKSet> fetch;
        try {
            fetch = keySetUri().thenCompose(fetcher::fetch).thenApply(IssuerKeys::parseKeySet);
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        fetch.whenComplete((set, error) -> {
            deadline.cancel();
            finish(result, set, error);
        });
        return result;
    }

    private void finish(CompletableFuture<JWKSet> result, JWKSet set, Throwable error) {
        synchronized (lock) {
            if (set != null) {
                keys = set;
            }
            if (result.isDone()) {
                return;
            }
            inFlight = null;
        }
        if (set != null) {
            if (failing) {
                LOG.info("Signing keys of issuer {} fetched again", issuer.issuer());
            }
            failing = false;
        } else if (!failing) {
            failing = true;
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            LOG.warn("Cannot fetch the signing keys of issuer {} ({}); {}", issuer.issuer(), cause,
                    keys == null ? "its tokens are refused until they can be fetched" : "the keys held stay in use");
        }
        result.complete(keys);
    }

    /** The configured JWK set address, or the one the discovery document names (looked up once). */
    private CompletableFuture<URI> keySetUri() {
        URI known = jwksUri;
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return fetcher.fetch(issuer.discoveryUri()).thenApply(body -> {
            JsonObject discovery = Json.parseObject(body);
            if (!(discovery.get("issuer") instanceof JsonString named) || !named.getString().equals(issuer.issuer())) {
                throw new IllegalStateException("the discovery document names another issuer"
                        + " (OpenID Connect Discovery 1.0 section 4.3)");
            }
            if (!(discovery.get("jwks_uri") instanceof JsonString uri)) {
                throw new IllegalStateException("the discovery document has no jwks_uri");
            }
            URI found = URI.create(uri.getString());
            if (!JwtIssuerConfig.isTrustedUrl(found)) {
                throw new IllegalStateException("the discovery document's jwks_uri is not https (nor http on loopback)");
            }
            jwksUri = found;
            return found;
        });
    }

    private static JWKSet parseKeySet(byte[] body) {
        try {
            return JWKSet.parse(new String(body, StandardCharsets.UTF_8)).toPublicJWKSet();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("the key set is not a JWK set: " + e.getMessage(), e);
        }
    }
}
