package dev.switchboard.identity;

import dev.switchboard.config.JwtIssuerConfig;
import dev.switchboard.time.Scheduler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The key caches of the configured issuers, kept across configuration reloads so that a reload
 * neither drops the keys held nor fetches them again; an issuer no longer configured is forgotten
 * ({@link #retain}), so the directory holds at most the configured issuers. Shared; thread-safe;
 * one per deployed application.
 */
public final class KeyDirectory {
    private final KeyFetcher fetcher;
    private final Scheduler scheduler;
    private final ConcurrentHashMap<Source, IssuerKeys> issuers = new ConcurrentHashMap<>();

    /** What one cache is of: an issuer and where its keys are, so that a new address starts a new cache. */
    private record Source(String issuer, java.net.URI jwksUri) {
        static Source of(JwtIssuerConfig config) {
            return new Source(config.issuer(), config.jwksUri());
        }
    }

    public KeyDirectory(KeyFetcher fetcher, Scheduler scheduler) {
        this.fetcher = fetcher;
        this.scheduler = scheduler;
    }

    IssuerKeys keysOf(JwtIssuerConfig config) {
        return issuers.computeIfAbsent(Source.of(config), source -> new IssuerKeys(config, fetcher, scheduler));
    }

    /** Forgets every issuer but those of {@code configured}. */
    public void retain(List<JwtIssuerConfig> configured) {
        Set<Source> kept = configured.stream().map(Source::of).collect(Collectors.toSet());
        issuers.keySet().retainAll(kept);
    }
}
