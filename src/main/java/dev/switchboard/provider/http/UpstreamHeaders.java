package dev.switchboard.provider.http;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.upstream.UpstreamRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    private UpstreamHeaders() {
    }

    /**
     * @param stream whether the reply is to be an event stream
     * @param defaults the provider's own headers, in order (e.g. {@code anthropic-version})
     */
    public static List<UpstreamRequest.Header> of(ProviderConfig provider, boolean stream, KeyHeader key,
                                                  Map<String, String> defaults) {
        Map<String, String> configured = provider.headers();
        List<String> configuredNames = configured.keySet().stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
        List<UpstreamRequest.Header> headers = new ArrayList<>(3 + defaults.size() + configured.size());
        add(headers, configuredNames, "Accept", stream ? "text/event-stream" : "application/json");
        defaults.forEach((name, value) -> add(headers, configuredNames, name, value));
        if (provider.apiKey() != null) {
            add(headers, configuredNames, key.name(), key.prefix() + provider.apiKey());
        }
        configured.forEach((name, value) -> headers.add(new UpstreamRequest.Header(name, value)));
        return headers;
    }

    private static void add(List<UpstreamRequest.Header> headers, List<String> configuredNames, String name,
                            String value) {
        if (!configuredNames.contains(name.toLowerCase(Locale.ROOT))) {
            headers.add(new UpstreamRequest.Header(name, value));
        }
    }
}
