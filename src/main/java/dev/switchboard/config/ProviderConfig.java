package dev.switchboard.config;

import java.net.URI;
import java.util.Map;

/**
 * One upstream provider. Immutable.
 *
 * @param apiKey the provider credential, or null to send none; never logged
 * @param headers extra headers sent on every upstream request (e.g. {@code anthropic-beta})
 * @param timeouts connect, first-byte and idle limits for calls to this provider
 * @param retry tries per target and backoff for this provider's models
 * @param cooldown when this provider's models are skipped after failing
 * @param maxTranslationFactor how many times the client's body a request translated for this
 *     provider may grow to (the top-level {@code maxTranslationFactor}, docs/configuration.md)
 * @param responsesApi whether an OpenAI-type provider serves OpenAI's Responses API, so that a
 *     Responses request is relayed to it rather than translated (docs/providers/openai.md)
 */
public record ProviderConfig(
        String id, ProviderType type, URI baseUrl, String apiKey, Map<String, String> headers, Timeouts timeouts,
        RetryPolicy retry, CooldownPolicy cooldown, int maxTranslationFactor, boolean responsesApi) {
    /** The one host known to serve the Responses API: OpenAI's own (docs/providers/openai.md). */
    public static final String OPENAI_HOST = "api.openai.com";
    /**
     * A translated upstream body may be at most this many times the client's body. The mappings
     * themselves add a few times at most (4.5 for a text file of control characters escaped for
     * Claude); only Gemini's inlining of {@code $ref}s grows further, and a schema that refers to
     * its definitions many times may legitimately reach tens of times its size. Fifty lets such
     * schemas through and still keeps one request from taking a heap by multiplying itself.
     */
    public static final int DEFAULT_MAX_TRANSLATION_FACTOR = 50;

    public ProviderConfig {
        // In the order configured: they go upstream in that order.
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }

    /** A provider with {@code responsesApi} at its default ({@link #defaultResponsesApi}). */
    public ProviderConfig(String id, ProviderType type, URI baseUrl, String apiKey, Map<String, String> headers,
                          Timeouts timeouts, RetryPolicy retry, CooldownPolicy cooldown, int maxTranslationFactor) {
        this(id, type, baseUrl, apiKey, headers, timeouts, retry, cooldown, maxTranslationFactor,
                defaultResponsesApi(type, baseUrl));
    }

    /** Whether a provider speaks the Responses API when its configuration does not say: only OpenAI's own. */
    public static boolean defaultResponsesApi(ProviderType type, URI baseUrl) {
        return type == ProviderType.OPENAI && baseUrl != null && OPENAI_HOST.equalsIgnoreCase(baseUrl.getHost());
    }

    /** A provider with the default translation factor. */
    public ProviderConfig(String id, ProviderType type, URI baseUrl, String apiKey, Map<String, String> headers,
                          Timeouts timeouts, RetryPolicy retry, CooldownPolicy cooldown) {
        this(id, type, baseUrl, apiKey, headers, timeouts, retry, cooldown, DEFAULT_MAX_TRANSLATION_FACTOR);
    }

    /** A provider with the default retry and cooldown policies. */
    public ProviderConfig(String id, ProviderType type, URI baseUrl, String apiKey, Map<String, String> headers,
                          Timeouts timeouts) {
        this(id, type, baseUrl, apiKey, headers, timeouts, RetryPolicy.DEFAULTS, CooldownPolicy.DEFAULTS);
    }

    /** A provider with every policy at its default. */
    public static ProviderConfig of(String id, ProviderType type, URI baseUrl, String apiKey, Map<String, String> headers) {
        return new ProviderConfig(id, type, baseUrl, apiKey, headers, Timeouts.DEFAULTS, RetryPolicy.DEFAULTS,
                CooldownPolicy.DEFAULTS);
    }

    /**
     * Header values shorter than this are not treated as secrets: replacing a short value such as
     * {@code true} wherever it appears would garble messages, and a secret that short is none.
     */
    public static final int MIN_SECRET_LENGTH = 8;

    /**
     * The strings no client, log line or metric may show: the key and the value of every
     * configured header (which may carry another credential, such as an {@code api-key}).
     */
    public java.util.List<String> secrets() {
        java.util.List<String> secrets = new java.util.ArrayList<>(1 + headers.size());
        if (apiKey != null && !apiKey.isEmpty()) {
            secrets.add(apiKey);
        }
        for (String value : headers.values()) {
            if (value.length() >= MIN_SECRET_LENGTH && !secrets.contains(value)) {
                secrets.add(value);
            }
        }
        return secrets;
    }

    @Override
    public String toString() {
        // Records print every component; this one holds a secret.
        return "ProviderConfig[id=" + id + ", type=" + type + ", baseUrl=" + baseUrl + "]";
    }
}
