package dev.switchboard.routing;

/** Hears how each call to a provider ended, for metrics. Implementations must be fast and thread-safe. */
@FunctionalInterface
public interface AttemptObserver {
    AttemptObserver NONE = (provider, outcome) -> { };

    /**
     * @param outcome {@code ok}, {@code cancelled}, or the failure's kind's label
     *     ({@code rate_limited}, {@code overloaded}, {@code server_error}, {@code timeout},
     *     {@code unreachable}, {@code auth_error}, {@code client_error}, {@code gateway_error})
     */
    void attemptFinished(String provider, String outcome);
}
