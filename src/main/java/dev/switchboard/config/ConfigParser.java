package dev.switchboard.config;

import dev.switchboard.json.Json;
import dev.switchboard.json.JsonSyntaxException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonValue.ValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the JSON config file into a {@link GatewayConfig}, substituting environment variables in
 * every string value and checking every cross-reference. The first problem found is thrown as a
 * {@link ConfigException} naming its field, so the deployment stops on one clear line. Stateless.
 */
public final class ConfigParser {
    private static final Set<String> TOP_LEVEL =
            Set.of("providers", "models", "aliases", "tokens", "maxRequestBytes", "retry", "cooldown", "metrics",
                    "shutdownGraceMs", "maxTranslationFactor");
    private static final Set<String> METRICS_FIELDS = Set.of("public");
    private static final Set<String> PROVIDER_FIELDS =
            Set.of("type", "baseUrl", "apiKey", "headers", "timeouts", "retry", "cooldown");
    private static final Set<String> RETRY_FIELDS = Set.of("attempts", "baseMs", "capMs");
    private static final Set<String> COOLDOWN_FIELDS = Set.of("failures", "periodMs");
    private static final Set<String> ALIAS_FIELDS = Set.of("strategy", "targets");
    private static final Set<String> ALIAS_TARGET_FIELDS = Set.of("model", "weight");
    private static final Set<String> MODEL_FIELDS = Set.of("provider", "upstreamModel", "maxOutputTokens");
    private static final Set<String> TIMEOUT_FIELDS = Set.of("connectMs", "firstByteMs", "idleMs");
    private static final Set<String> TOKEN_FIELDS = Set.of("name", "token", "sha256", "models", "rpm", "tpm", "metrics");

    /** RFC 9110 section 5.1: a field name is a token. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private ConfigParser() {
    }

    /**
     * A plain bearer token must be at least {@link TokenConfig#MIN_TOKEN_CHARACTERS} long; the
     * message says how long it is, never what it is.
     *
     * @throws ConfigException naming {@code field}
     */
    static void checkTokenLength(String token, String field) {
        if (token.length() < TokenConfig.MIN_TOKEN_CHARACTERS) {
            throw new ConfigException(field, token.isEmpty() ? "must not be empty"
                    : "is " + token.length() + " characters long; a bearer token needs at least "
                    + TokenConfig.MIN_TOKEN_CHARACTERS + ", so that it cannot be guessed");
        }
    }

    public static GatewayConfig parse(String json, Map<String, String> env, String source) {
        JsonObject root;
        try {
            root = Json.parseObject(json);
        } catch (JsonSyntaxException e) {
            throw new ConfigException(null, "the configuration must be one JSON object: " + e.getMessage());
        }
        return new ConfigParser.Walk(env).config(root, source);
    }

    /** Computes the digest under which a plain token is stored and compared. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /**
     * A header value may not hold CR, LF or any other control character but HTAB (RFC 9110
     * section 5.5): CR LF ends a header line on the wire (RFC 9112 section 5), so such a value
     * would at best be mangled on every upstream request and at worst add a header of its own.
     * The value itself is not repeated, since it is often a secret.
     */
    static void checkHeaderValue(String value, String path) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                throw new ConfigException(path, "must not contain " + (c == '\r' ? "a carriage return (CR)"
                        : c == '\n' ? "a line feed (LF)" : "a control character") + " (RFC 9110 section 5.5);"
                        + " a value read from a file or variable often ends with a stray line break");
            }
        }
    }

    /** {@code text} with control characters written as JSON escapes (CR as backslash-r, NUL as backslash-u0000). */
    static String escaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private record Walk(Map<String, String> env) {

        GatewayConfig config(JsonObject root, String source) {
            checkKeys(root, null, TOP_LEVEL);
            RetryPolicy retry = retry(object(root, "retry", null, false), "retry", RetryPolicy.DEFAULTS);
            CooldownPolicy cooldown = cooldown(object(root, "cooldown", null, false), "cooldown", CooldownPolicy.DEFAULTS);
            int maxTranslationFactor = root.containsKey("maxTranslationFactor")
                    ? positiveInt(root.get("maxTranslationFactor"), "maxTranslationFactor")
                    : ProviderConfig.DEFAULT_MAX_TRANSLATION_FACTOR;
            Map<String, ProviderConfig> providers = providers(object(root, "providers", null, true), retry, cooldown,
                    maxTranslationFactor);
            Map<String, ModelConfig> models = models(object(root, "models", null, true), providers);
            Map<String, AliasConfig> aliases = aliases(object(root, "aliases", null, false), models);
            List<TokenConfig> tokens = tokens(root, models, aliases);
            long maxRequestBytes = GatewayConfig.DEFAULT_MAX_REQUEST_BYTES;
            if (root.containsKey("maxRequestBytes")) {
                maxRequestBytes = positiveInt(root.get("maxRequestBytes"), "maxRequestBytes");
            }
            JsonObject metrics = object(root, "metrics", null, false);
            checkKeys(metrics, "metrics", METRICS_FIELDS);
            boolean publicMetrics = bool(metrics, "public", "metrics", false);
            long shutdownGraceMs = root.containsKey("shutdownGraceMs")
                    ? nonNegativeInt(root.get("shutdownGraceMs"), "shutdownGraceMs") : GatewayConfig.DEFAULT_SHUTDOWN_GRACE_MS;
            return new GatewayConfig(providers, models, aliases, tokens, maxRequestBytes, publicMetrics, shutdownGraceMs,
                    source);
        }

        private Map<String, ProviderConfig> providers(JsonObject providers, RetryPolicy retry, CooldownPolicy cooldown,
                                                      int maxTranslationFactor) {
            if (providers.isEmpty()) {
                throw new ConfigException("providers", "at least one provider is required");
            }
            Map<String, ProviderConfig> result = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> entry : providers.entrySet()) {
                String id = entry.getKey();
                String path = "providers." + id;
                JsonObject provider = asObject(entry.getValue(), path);
                checkKeys(provider, path, PROVIDER_FIELDS);
                String typeName = string(provider, "type", path, true);
                ProviderType type = ProviderType.fromConfigName(typeName);
                if (type == null) {
                    throw new ConfigException(path + ".type", "unknown provider type '" + typeName
                            + "' (expected openai, anthropic, gemini or echo)");
                }
                String baseUrlText = string(provider, "baseUrl", path, false);
                URI baseUrl = baseUrlText == null ? type.defaultBaseUrl() : baseUrl(baseUrlText, path + ".baseUrl");
                if (baseUrl == null && type != ProviderType.ECHO) {
                    throw new ConfigException(path + ".baseUrl", "is required");
                }
                String apiKey = string(provider, "apiKey", path, false);
                if (apiKey != null && apiKey.isEmpty()) {
                    apiKey = null;
                }
                // The key travels in a header (Authorization, x-api-key or x-goog-api-key).
                checkHeaderValue(apiKey, path + ".apiKey");
                Map<String, String> headers = new LinkedHashMap<>();
                JsonObject headerObject = object(provider, "headers", path, false);
                for (Map.Entry<String, JsonValue> header : headerObject.entrySet()) {
                    String headerPath = path + ".headers." + header.getKey();
                    if (!HEADER_NAME.matcher(header.getKey()).matches()) {
                        // Escaped, so that a name holding a line break still makes one log line.
                        throw new ConfigException(path + ".headers." + escaped(header.getKey()), "is not a valid HTTP"
                                + " header name (RFC 9110 section 5.1: a token, so no spaces, CR, LF or other control"
                                + " characters)");
                    }
                    String value = substitute(asString(header.getValue(), headerPath), headerPath);
                    checkHeaderValue(value, headerPath);
                    headers.put(header.getKey(), value);
                }
                result.put(id, new ProviderConfig(id, type, baseUrl, apiKey, headers,
                        timeouts(object(provider, "timeouts", path, false), path + ".timeouts"),
                        retry(object(provider, "retry", path, false), path + ".retry", retry),
                        cooldown(object(provider, "cooldown", path, false), path + ".cooldown", cooldown),
                        maxTranslationFactor));
            }
            return result;
        }

        private Timeouts timeouts(JsonObject timeouts, String path) {
            checkKeys(timeouts, path, TIMEOUT_FIELDS);
            return new Timeouts(
                    optionalPositive(timeouts, "connectMs", path, Timeouts.DEFAULT_CONNECT_MS),
                    optionalPositive(timeouts, "firstByteMs", path, Timeouts.DEFAULT_FIRST_BYTE_MS),
                    optionalPositive(timeouts, "idleMs", path, Timeouts.DEFAULT_IDLE_MS));
        }

        /** A provider's {@code retry} overrides the global one field by field. */
        private RetryPolicy retry(JsonObject retry, String path, RetryPolicy inherited) {
            checkKeys(retry, path, RETRY_FIELDS);
            RetryPolicy policy = new RetryPolicy(
                    (int) optionalPositive(retry, "attempts", path, inherited.attempts()),
                    optionalPositive(retry, "baseMs", path, inherited.baseMs()),
                    optionalPositive(retry, "capMs", path, inherited.capMs()));
            if (policy.capMs() < policy.baseMs()) {
                throw new ConfigException(path + ".capMs", "must be at least baseMs (" + policy.baseMs() + ")");
            }
            return policy;
        }

        private CooldownPolicy cooldown(JsonObject cooldown, String path, CooldownPolicy inherited) {
            checkKeys(cooldown, path, COOLDOWN_FIELDS);
            return new CooldownPolicy(
                    (int) optionalPositive(cooldown, "failures", path, inherited.failures()),
                    optionalPositive(cooldown, "periodMs", path, inherited.periodMs()));
        }

        private static long optionalPositive(JsonObject object, String name, String path, long defaultValue) {
            return object.containsKey(name) ? positiveInt(object.get(name), path + "." + name) : defaultValue;
        }

        private Map<String, ModelConfig> models(JsonObject models, Map<String, ProviderConfig> providers) {
            if (models.isEmpty()) {
                throw new ConfigException("models", "at least one model is required");
            }
            Map<String, ModelConfig> result = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> entry : models.entrySet()) {
                String id = entry.getKey();
                String path = "models." + id;
                if (id.isBlank()) {
                    throw new ConfigException(path, "a model id must not be blank");
                }
                JsonObject model = asObject(entry.getValue(), path);
                checkKeys(model, path, MODEL_FIELDS);
                String provider = string(model, "provider", path, true);
                if (!providers.containsKey(provider)) {
                    throw new ConfigException(path + ".provider", "names provider '" + provider
                            + "', which is not defined under 'providers'");
                }
                String upstreamModel = string(model, "upstreamModel", path, false);
                Integer maxOutputTokens = model.containsKey("maxOutputTokens")
                        ? positiveInt(model.get("maxOutputTokens"), path + ".maxOutputTokens") : null;
                result.put(id, new ModelConfig(id, provider, upstreamModel == null ? id : upstreamModel, maxOutputTokens));
            }
            return result;
        }

        private Map<String, AliasConfig> aliases(JsonObject aliases, Map<String, ModelConfig> models) {
            Map<String, AliasConfig> result = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> entry : aliases.entrySet()) {
                String name = entry.getKey();
                String path = "aliases." + name;
                if (models.containsKey(name)) {
                    throw new ConfigException(path, "'" + name + "' is already a model id; an alias needs its own name");
                }
                AliasConfig.Strategy strategy = AliasConfig.Strategy.FALLBACK;
                JsonValue targets = entry.getValue();
                String targetsPath = path;
                if (targets.getValueType() == ValueType.OBJECT) {
                    JsonObject alias = targets.asJsonObject();
                    checkKeys(alias, path, ALIAS_FIELDS);
                    String strategyName = string(alias, "strategy", path, false);
                    if (strategyName != null) {
                        strategy = AliasConfig.Strategy.fromConfigName(strategyName);
                        if (strategy == null) {
                            throw new ConfigException(path + ".strategy", "unknown strategy '" + strategyName
                                    + "' (expected fallback, round-robin or weighted)");
                        }
                    }
                    targets = alias.get("targets");
                    targetsPath = path + ".targets";
                    if (targets == null) {
                        throw new ConfigException(targetsPath, "is required");
                    }
                } else if (targets.getValueType() != ValueType.ARRAY) {
                    throw new ConfigException(path, "must be a list of model ids or an object with 'strategy' and"
                            + " 'targets', but it is " + Json.typeName(targets));
                }
                JsonArray list = array(targets, targetsPath);
                if (list.isEmpty()) {
                    throw new ConfigException(targetsPath, "an alias needs at least one model");
                }
                List<AliasConfig.AliasTarget> resolved = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    resolved.add(aliasTarget(list.get(i), targetsPath + "[" + i + "]", models));
                }
                result.put(name, new AliasConfig(name, strategy, resolved));
            }
            return result;
        }

        private AliasConfig.AliasTarget aliasTarget(JsonValue value, String path, Map<String, ModelConfig> models) {
            String model;
            int weight = AliasConfig.AliasTarget.DEFAULT_WEIGHT;
            if (value.getValueType() == ValueType.OBJECT) {
                JsonObject target = value.asJsonObject();
                checkKeys(target, path, ALIAS_TARGET_FIELDS);
                model = string(target, "model", path, true);
                if (target.containsKey("weight")) {
                    weight = positiveInt(target.get("weight"), path + ".weight");
                }
            } else {
                model = substitute(asString(value, path), path);
            }
            if (!models.containsKey(model)) {
                throw new ConfigException(path, "names model '" + model + "', which is not defined under 'models'");
            }
            return new AliasConfig.AliasTarget(model, weight);
        }

        private List<TokenConfig> tokens(JsonObject root, Map<String, ModelConfig> models, Map<String, AliasConfig> aliases) {
            JsonValue value = root.get("tokens");
            if (value == null) {
                throw new ConfigException("tokens", "at least one token is required: without one no client can call the gateway");
            }
            JsonArray tokens = array(value, "tokens");
            if (tokens.isEmpty()) {
                throw new ConfigException("tokens", "at least one token is required: without one no client can call the gateway");
            }
            List<TokenConfig> result = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            for (int i = 0; i < tokens.size(); i++) {
                String path = "tokens[" + i + "]";
                JsonObject token = asObject(tokens.get(i), path);
                checkKeys(token, path, TOKEN_FIELDS);
                String name = string(token, "name", path, true);
                if (!names.add(name)) {
                    throw new ConfigException(path + ".name", "token name '" + name + "' is used twice");
                }
                String plain = string(token, "token", path, false);
                String hex = string(token, "sha256", path, false);
                byte[] digest;
                if (plain != null && hex != null) {
                    throw new ConfigException(path, "give either 'token' or 'sha256', not both");
                } else if (plain != null) {
                    checkTokenLength(plain, path + ".token");
                    digest = sha256(plain);
                } else if (hex != null) {
                    if (!hex.matches("[0-9a-fA-F]{64}")) {
                        throw new ConfigException(path + ".sha256", "must be 64 hexadecimal digits (the SHA-256 of the token)");
                    }
                    digest = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
                } else {
                    throw new ConfigException(path, "a token needs either 'token' or 'sha256'");
                }
                Set<String> allowed = null;
                if (token.containsKey("models")) {
                    allowed = new LinkedHashSet<>();
                    JsonArray list = array(token.get("models"), path + ".models");
                    for (int m = 0; m < list.size(); m++) {
                        String modelPath = path + ".models[" + m + "]";
                        String model = substitute(asString(list.get(m), modelPath), modelPath);
                        if (!models.containsKey(model) && !aliases.containsKey(model)) {
                            throw new ConfigException(modelPath, "names '" + model + "', which is neither a model nor an alias");
                        }
                        allowed.add(model);
                    }
                }
                Long rpm = token.containsKey("rpm") ? (long) positiveInt(token.get("rpm"), path + ".rpm") : null;
                Long tpm = token.containsKey("tpm") ? (long) positiveInt(token.get("tpm"), path + ".tpm") : null;
                result.add(new TokenConfig(name, digest, allowed, rpm, tpm, bool(token, "metrics", path, false)));
            }
            return result;
        }

        private static URI baseUrl(String text, String path) {
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

        private void checkKeys(JsonObject object, String path, Set<String> known) {
            for (String key : object.keySet()) {
                if (!known.contains(key)) {
                    throw new ConfigException(path == null ? key : path + "." + key,
                            "unknown field (expected one of " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
                }
            }
        }

        private static JsonObject object(JsonObject parent, String name, String path, boolean required) {
            String field = path == null ? name : path + "." + name;
            JsonValue value = parent.get(name);
            if (value == null) {
                if (required) {
                    throw new ConfigException(field, "is required");
                }
                return JsonValue.EMPTY_JSON_OBJECT;
            }
            return asObject(value, field);
        }

        private static JsonObject asObject(JsonValue value, String path) {
            if (value.getValueType() != ValueType.OBJECT) {
                throw new ConfigException(path, "must be an object, but it is " + Json.typeName(value));
            }
            return value.asJsonObject();
        }

        private static JsonArray array(JsonValue value, String path) {
            if (value.getValueType() != ValueType.ARRAY) {
                throw new ConfigException(path, "must be an array, but it is " + Json.typeName(value));
            }
            return value.asJsonArray();
        }

        private static String asString(JsonValue value, String path) {
            if (value.getValueType() != ValueType.STRING) {
                throw new ConfigException(path, "must be a string, but it is " + Json.typeName(value));
            }
            return ((JsonString) value).getString();
        }

        private String string(JsonObject parent, String name, String path, boolean required) {
            String field = path + "." + name;
            JsonValue value = parent.get(name);
            if (value == null || value.getValueType() == ValueType.NULL) {
                if (required) {
                    throw new ConfigException(field, "is required");
                }
                return null;
            }
            return substitute(asString(value, field), field);
        }

        private String substitute(String value, String field) {
            return EnvSubstitution.apply(value, field, env);
        }

        private static boolean bool(JsonObject object, String name, String path, boolean defaultValue) {
            JsonValue value = object.get(name);
            if (value == null) {
                return defaultValue;
            }
            if (value.getValueType() != ValueType.TRUE && value.getValueType() != ValueType.FALSE) {
                throw new ConfigException(path + "." + name, "must be true or false, but it is " + Json.typeName(value));
            }
            return value.getValueType() == ValueType.TRUE;
        }

        private static int nonNegativeInt(JsonValue value, String path) {
            if (value instanceof JsonNumber number && number.isIntegral() && number.bigDecimalValue().signum() == 0) {
                return 0;
            }
            return positiveInt(value, path);
        }

        private static int positiveInt(JsonValue value, String path) {
            if (!(value instanceof JsonNumber number) || !number.isIntegral()
                    || number.bigDecimalValue().compareTo(java.math.BigDecimal.ONE) < 0
                    || number.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                throw new ConfigException(path, "must be a positive whole number");
            }
            return number.intValue();
        }
    }
}
