package dev.switchboard.routing;

/** Hears how each call to a provider ended, for metrics. Implementations must be fast and thread-safe. */
@FunctionalInterface
public interface AttemptObserver {
    AttemptObserver NONE = (provider, outcome) -> { };

    /**
     * @param outcome one of {@code ok}, {@code rate_limited}, {@code client_error},
     *     {@code auth_error}, {@code server_error}, {@code timeout}, {@code unreachable},
     *     {@code cancelled}
     */
    void attemptFinished(String provider, String outcome);
}
