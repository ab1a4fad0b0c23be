package dev.switchboard.provider.http;

import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The URIs of providers' endpoints, each parsed once rather than on every upstream request
 * (bench/results/NOTES.md, "Request side"). Shared and thread-safe; it holds one entry per base
 * URL and path in use, and starts over should a stream of configuration reloads ever fill it.
 */
public final class UpstreamUris {
    /** More than any configuration has endpoints; a full cache is emptied and refills with those in use. */
    static final int MAX_ENTRIES = 256;

    private static final ConcurrentHashMap<Endpoint, URI> PARSED = new ConcurrentHashMap<>();

    /** A provider's base URL and a path under it: its URI's hash is kept, and a snapshot's instances compare by identity first. */
    private record Endpoint(URI base, String path) {
    }

    private UpstreamUris() {
    }

    /** {@code base} followed by {@code path}, as {@code URI.create(base + path)}. */
    public static URI of(URI base, String path) {
        Endpoint endpoint = new Endpoint(base, path);
        URI uri = PARSED.get(endpoint);
        if (uri == null) {
            uri = URI.create(base + path);
            if (PARSED.size() >= MAX_ENTRIES) {
                PARSED.clear();
            }
            PARSED.put(endpoint, uri);
        }
        return uri;
    }
}
