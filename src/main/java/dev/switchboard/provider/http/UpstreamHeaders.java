package dev.switchboard.provider.http;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.upstream.UpstreamRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The headers of every upstream request, built one way for every provider: {@code Accept} for the
 * reply's form, the provider's own defaults (such as {@code anthropic-version}), the provider key
 * in the header its API reads, then the provider's configured {@code headers}. A configured header
 * replaces a default or key header of the same name (compared case-insensitively, RFC 9110 §5.1),
 * so an operator can pin an API version or send the key another way; the client's own headers
 * (its Switchboard token above all) are never forwarded. Stateless.
 */
public final class UpstreamHeaders {
    /** How a provider's API takes its key: the header, and what goes before the key in it. */
    public record KeyHeader(String name, String prefix) {
    }

    private static final String EVENT_STREAM = "text/event-stream";
    private static final String JSON = "application/json";

    private UpstreamHeaders() {
    }

    /**
     * @param stream whether the reply is to be an event stream
     * @param defaults the provider's own headers, in order (e.g. {@code anthropic-version})
     */
    public static List<UpstreamRequest.Header> of(ProviderConfig provider, boolean stream, KeyHeader key,
                                                  Map<String, String> defaults) {
        Map<String, String> configured = provider.headers();
        UpstreamRequest.Header[] headers = new UpstreamRequest.Header[2 + defaults.size() + configured.size()];
        int count = 0;
        // Built on every upstream request: no stream, and no lower-cased copies of the names.
        count = add(headers, count, configured, "Accept", stream ? EVENT_STREAM : JSON);
        for (Map.Entry<String, String> header : defaults.entrySet()) {
            count = add(headers, count, configured, header.getKey(), header.getValue());
        }
        if (provider.apiKey() != null) {
            count = add(headers, count, configured, key.name(), key.prefix() + provider.apiKey());
        }
        for (Map.Entry<String, String> header : configured.entrySet()) {
            headers[count++] = new UpstreamRequest.Header(header.getKey(), header.getValue());
        }
        // Immutable already, so the request keeps it without another copy.
        return List.of(count == headers.length ? headers : Arrays.copyOf(headers, count));
    }

    /** Adds the header unless a configured one of the same name replaces it. */
    private static int add(UpstreamRequest.Header[] headers, int count, Map<String, String> configured, String name,
                           String value) {
        for (String configuredName : configured.keySet()) {
            if (configuredName.equalsIgnoreCase(name)) {
                return count;
            }
        }
        headers[count] = new UpstreamRequest.Header(name, value);
        return count + 1;
    }
}
