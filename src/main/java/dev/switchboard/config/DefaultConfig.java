package dev.switchboard.config;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration used when no file is given: one provider per API key found in the
 * environment, each with its current models, and the aliases {@code fast}, {@code balanced} and
 * {@code smart} over them. With no key at all it serves the built-in echo provider. Stateless.
 */
public final class DefaultConfig {
    public static final String TOKEN_VARIABLE = "SWITCHBOARD_TOKEN";

    /** A provider the environment can switch on, and the model behind each alias. */
    private record Candidate(String keyVariable, String id, ProviderType type, String fast, String balanced, String smart) {
    }

    /** Alias preference follows this order when several keys are set. */
    private static final List<Candidate> CANDIDATES = List.of(
            new Candidate("ANTHROPIC_API_KEY", "anthropic", ProviderType.ANTHROPIC,
                    "claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-6"),
            new Candidate("OPENAI_API_KEY", "openai", ProviderType.OPENAI,
                    "gpt-5-mini", "gpt-5", "gpt-5"),
            new Candidate("GEMINI_API_KEY", "gemini", ProviderType.GEMINI,
                    "gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-pro"));

    public static final String ECHO_MODEL = "echo";

    /**
     * @param notices lines to log at start (which providers were enabled or skipped)
     * @param generatedToken the token made up because {@code SWITCHBOARD_TOKEN} is unset, or null
     */
    public record Result(GatewayConfig config, List<String> notices, List<String> warnings, String generatedToken) {
    }

    private DefaultConfig() {
    }

    public static Result fromEnvironment(Map<String, String> env) {
        Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        List<String> notices = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String alias : List.of("fast", "balanced", "smart")) {
            aliases.put(alias, new ArrayList<>());
        }
        for (Candidate candidate : CANDIDATES) {
            String key = env.get(candidate.keyVariable());
            if (key == null || key.isBlank()) {
                continue;
            }
            ConfigParser.checkHeaderValue(key, candidate.keyVariable());
            providers.put(candidate.id(), ProviderConfig.of(candidate.id(), candidate.type(),
                    candidate.type().defaultBaseUrl(), key, Map.of()));
            for (String model : new java.util.LinkedHashSet<>(List.of(candidate.fast(), candidate.balanced(), candidate.smart()))) {
                models.put(model, new ModelConfig(model, candidate.id(), model, null));
            }
            aliases.get("fast").add(candidate.fast());
            aliases.get("balanced").add(candidate.balanced());
            aliases.get("smart").add(candidate.smart());
            notices.add("provider '" + candidate.id() + "' enabled from " + candidate.keyVariable());
        }
        if (providers.isEmpty()) {
            providers.put(ECHO_MODEL, ProviderConfig.of(ECHO_MODEL, ProviderType.ECHO, null, null, Map.of()));
            models.put(ECHO_MODEL, new ModelConfig(ECHO_MODEL, ECHO_MODEL, ECHO_MODEL, null));
            aliases.values().forEach(list -> list.add(ECHO_MODEL));
            warnings.add("no provider API key is set (ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY) and no"
                    + " configuration file was found: serving the built-in echo provider, which repeats the last"
                    + " user message instead of calling a model");
        }
        String token = env.get(TOKEN_VARIABLE);
        String generated = null;
        if (token == null || token.isBlank()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            generated = "sb-" + HexFormat.of().formatHex(random);
            token = generated;
        } else {
            ConfigParser.checkTokenLength(token, TOKEN_VARIABLE);
        }
        Map<String, AliasConfig> aliasConfigs = new LinkedHashMap<>();
        aliases.forEach((name, targets) -> aliasConfigs.put(name, AliasConfig.fallback(name, targets)));
        GatewayConfig config = new GatewayConfig(providers, models, aliasConfigs,
                List.of(new TokenConfig("default", ConfigParser.sha256(token), null, null, null, false, null, null, true)), Map.of(),
                GatewayConfig.DEFAULT_MAX_REQUEST_BYTES, false, GatewayConfig.DEFAULT_SHUTDOWN_GRACE_MS, null,
                "environment (no configuration file)");
        return new Result(config, notices, warnings, generated);
    }
}
