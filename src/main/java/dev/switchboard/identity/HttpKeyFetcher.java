package dev.switchboard.identity;

import dev.switchboard.upstream.UpstreamClient;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.core5.util.Timeout;

/**
 * Fetches issuers' documents through the gateway's one HTTP client ({@link UpstreamClient#get}):
 * asynchronous, TLS verified, each answer bounded in size and time. Shared and stateless.
 */
public final class HttpKeyFetcher implements KeyFetcher {
    /** Larger than any real key set or discovery document (a few kilobytes), small enough to hold. */
    static final int MAX_DOCUMENT_BYTES = 1024 * 1024;
    /** Connect and response deadline of one fetch: callers waiting for an unknown key wait no longer. */
    static final Timeout FETCH_TIMEOUT = Timeout.ofSeconds(5);

    private final UpstreamClient client;

    public HttpKeyFetcher(UpstreamClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<byte[]> fetch(URI uri) {
        return client.get(uri, MAX_DOCUMENT_BYTES, FETCH_TIMEOUT);
    }
}
