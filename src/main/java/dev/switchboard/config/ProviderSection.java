package dev.switchboard.config;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses {@code providers}, with the {@code retry}, {@code cooldown} and {@code timeouts} policies they inherit or override. Stateless.
 */
final class ProviderSection {
    private static final Set<String> PROVIDER_FIELDS =
            Set.of("type", "baseUrl", "apiKey", "headers", "timeouts", "retry", "cooldown", "responsesApi");
    private static final Set<String> RETRY_FIELDS = Set.of("attempts", "baseMs", "capMs");
    private static final Set<String> COOLDOWN_FIELDS = Set.of("failures", "periodMs");
    private static final Set<String> TIMEOUT_FIELDS = Set.of("connectMs", "firstByteMs", "idleMs");

    /** RFC 9110 section 5.1: a field name is a token. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private ProviderSection() {
    }

    static Map<String, ProviderConfig> providers(ConfigReader read, JsonObject providers, RetryPolicy retry, CooldownPolicy cooldown,
                                                  int maxTranslationFactor) {
        if (providers.isEmpty()) {
            throw new ConfigException("providers", "at least one provider is required");
        }
        Map<String, ProviderConfig> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : providers.entrySet()) {
            String id = entry.getKey();
            String path = "providers." + id;
            JsonObject provider = read.asObject(entry.getValue(), path);
            read.checkKeys(provider, path, PROVIDER_FIELDS);
            String typeName = read.string(provider, "type", path, true);
            ProviderType type = ProviderType.fromConfigName(typeName);
            if (type == null) {
                throw new ConfigException(path + ".type", "unknown provider type '" + typeName
                        + "' (expected openai, anthropic, gemini or echo)");
            }
            String baseUrlText = read.string(provider, "baseUrl", path, false);
            URI baseUrl = baseUrlText == null ? type.defaultBaseUrl() : baseUrl(read, baseUrlText, path + ".baseUrl");
            if (baseUrl == null && type != ProviderType.ECHO) {
                throw new ConfigException(path + ".baseUrl", "is required");
            }
            String apiKey = read.string(provider, "apiKey", path, false);
            if (apiKey != null && apiKey.isEmpty()) {
                apiKey = null;
            }
            // The key travels in a header (Authorization, x-api-key or x-goog-api-key).
            ConfigParser.checkHeaderValue(apiKey, path + ".apiKey");
            Map<String, String> headers = new LinkedHashMap<>();
            JsonObject headerObject = read.object(provider, "headers", path, false);
            for (Map.Entry<String, JsonValue> header : headerObject.entrySet()) {
                String headerPath = path + ".headers." + header.getKey();
                if (!HEADER_NAME.matcher(header.getKey()).matches()) {
                    // Escaped, so that a name holding a line break still makes one log line.
                    throw new ConfigException(path + ".headers." + ConfigParser.escaped(header.getKey()), "is not a valid HTTP"
                            + " header name (RFC 9110 section 5.1: a token, so no spaces, CR, LF or other control"
                            + " characters)");
                }
                String value = read.substitute(read.asString(header.getValue(), headerPath), headerPath);
                ConfigParser.checkHeaderValue(value, headerPath);
                headers.put(header.getKey(), value);
            }
            boolean responsesApi = read.bool(provider, "responsesApi", path,
                    ProviderConfig.defaultResponsesApi(type, baseUrl));
            if (responsesApi && type != ProviderType.OPENAI) {
                throw new ConfigException(path + ".responsesApi", "only an openai provider can speak the Responses API");
            }
            result.put(id, new ProviderConfig(id, type, baseUrl, apiKey, headers,
                    timeouts(read, read.object(provider, "timeouts", path, false), path + ".timeouts"),
                    retry(read, read.object(provider, "retry", path, false), path + ".retry", retry),
                    cooldown(read, read.object(provider, "cooldown", path, false), path + ".cooldown", cooldown),
                    maxTranslationFactor, responsesApi));
        }
        return result;
    }

    static Timeouts timeouts(ConfigReader read, JsonObject timeouts, String path) {
        read.checkKeys(timeouts, path, TIMEOUT_FIELDS);
        return new Timeouts(
                read.optionalPositive(timeouts, "connectMs", path, Timeouts.DEFAULT_CONNECT_MS),
                read.optionalPositive(timeouts, "firstByteMs", path, Timeouts.DEFAULT_FIRST_BYTE_MS),
                read.optionalPositive(timeouts, "idleMs", path, Timeouts.DEFAULT_IDLE_MS));
    }

    /** A provider's {@code retry} overrides the global one field by field. */
    static RetryPolicy retry(ConfigReader read, JsonObject retry, String path, RetryPolicy inherited) {
        read.checkKeys(retry, path, RETRY_FIELDS);
        RetryPolicy policy = new RetryPolicy(
                (int) read.optionalPositive(retry, "attempts", path, inherited.attempts()),
                read.optionalPositive(retry, "baseMs", path, inherited.baseMs()),
                read.optionalPositive(retry, "capMs", path, inherited.capMs()));
        if (policy.capMs() < policy.baseMs()) {
            throw new ConfigException(path + ".capMs", "must be at least baseMs (" + policy.baseMs() + ")");
        }
        return policy;
    }

    static CooldownPolicy cooldown(ConfigReader read, JsonObject cooldown, String path, CooldownPolicy inherited) {
        read.checkKeys(cooldown, path, COOLDOWN_FIELDS);
        return new CooldownPolicy(
                (int) read.optionalPositive(cooldown, "failures", path, inherited.failures()),
                read.optionalPositive(cooldown, "periodMs", path, inherited.periodMs()));
    }

    static URI baseUrl(ConfigReader read, String text, String path) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(path, "'" + text + "' is not a valid URL");
        }
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
            throw new ConfigException(path, "'" + text + "' must be an absolute http:// or https:// URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException(path, "'" + text + "' must not carry a query or fragment");
        }
        String withoutSlash = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        return URI.create(withoutSlash);
    }
}
