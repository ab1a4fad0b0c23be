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

    /**
     * A provider's base URL and a path under it. Written out rather than a record: a record's
     * generated {@code equals} goes through a method handle, which showed in the request path's
     * profile; a snapshot's instances compare by identity first.
     */
    private static final class Endpoint {
        private final URI base;
        private final String path;
        private final int hash;

        Endpoint(URI base, String path) {
            this.base = base;
            this.path = path;
            this.hash = 31 * base.hashCode() + path.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Endpoint endpoint && hash == endpoint.hash
                    && (base == endpoint.base || base.equals(endpoint.base))
                    && (path == endpoint.path || path.equals(endpoint.path));
        }

        @Override
        public int hashCode() {
            return hash;
        }
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
