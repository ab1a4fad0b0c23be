package dev.switchboard.config;

import java.net.URI;
import java.util.Map;

/**
 * One upstream provider. Immutable.
 *
 * @param apiKey the provider credential, or null to send none; never logged
 * @param headers extra headers sent on every upstream request (e.g. {@code anthropic-beta})
 * @param timeouts connect, first-byte and idle limits for calls to this provider
 */
public record ProviderConfig(
        String id, ProviderType type, URI baseUrl, String apiKey, Map<String, String> headers, Timeouts timeouts) {
    public ProviderConfig {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        // Records print every component; this one holds a secret.
        return "ProviderConfig[id=" + id + ", type=" + type + ", baseUrl=" + baseUrl + "]";
    }
}
