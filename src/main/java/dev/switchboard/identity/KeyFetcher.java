package dev.switchboard.identity;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches an issuer's documents (its OpenID discovery document, its JWK set) without blocking the
 * caller. Production uses {@link HttpKeyFetcher}; unit tests answer from memory. Shared; thread-safe.
 */
@FunctionalInterface
public interface KeyFetcher {
    /** The document's bytes, or a failed stage; never blocks. */
    CompletableFuture<byte[]> fetch(URI uri);
}
