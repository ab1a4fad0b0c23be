package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefaultConfigTest {
    /** What this build implements (see SwitchboardListener). */

    private static Map<String, List<String>> aliasTargets(GatewayConfig config) {
        Map<String, List<String>> targets = new java.util.LinkedHashMap<>();
        config.aliases().forEach((name, alias) -> targets.put(name, alias.models()));
        return targets;
    }

    /** Every reference in the configuration resolves, as ConfigParser would insist. */
    private static void assertConsistent(GatewayConfig config) {
        config.models().values().forEach(model -> assertThat(config.providers()).containsKey(model.provider()));
        config.aliases().values().forEach(alias -> assertThat(config.models()).containsKeys(alias.models().toArray(String[]::new)));
        assertThat(config.aliases().keySet()).doesNotContainAnyElementsOf(config.models().keySet());
        assertThat(config.tokens()).isNotEmpty();
    }

    @Test
    void noKeysServesEchoUnderEveryAliasWithAWarningAndAGeneratedToken() {
        DefaultConfig.Result result = DefaultConfig.fromEnvironment(Map.of());
        GatewayConfig config = result.config();

        assertThat(config.providers().keySet()).containsExactly("echo");
        assertThat(config.providers().get("echo").type()).isEqualTo(ProviderType.ECHO);
        assertThat(config.models().keySet()).containsExactly(DefaultConfig.ECHO_MODEL);
        assertThat(aliasTargets(config)).containsExactly(
                Map.entry("fast", List.of("echo")), Map.entry("balanced", List.of("echo")), Map.entry("smart", List.of("echo")));
        assertThat(result.warnings()).singleElement().asString()
                .contains("no provider API key is set").contains("echo");
        assertThat(result.notices()).isEmpty();
        assertThat(result.generatedToken()).startsWith("sb-").hasSize(3 + 48).matches("sb-[0-9a-f]{48}");
        assertThat(config.tokens()).singleElement().satisfies(token -> {
            assertThat(token.sha256()).isEqualTo(ConfigParser.sha256(result.generatedToken()));
            assertThat(token.models()).isNull();
        });
        assertThat(config.maxRequestBytes()).isEqualTo(GatewayConfig.DEFAULT_MAX_REQUEST_BYTES);
        assertConsistent(config);
    }

    @Test
    void generatedTokensDifferBetweenRuns() {
        String first = DefaultConfig.fromEnvironment(Map.of()).generatedToken();
        String second = DefaultConfig.fromEnvironment(Map.of()).generatedToken();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void switchboardTokenIsUsedInsteadOfAGeneratedOne() {
        DefaultConfig.Result result = DefaultConfig.fromEnvironment(Map.of(DefaultConfig.TOKEN_VARIABLE, "my-own-token"));

        assertThat(result.generatedToken()).isNull();
        assertThat(result.config().tokens()).singleElement()
                .satisfies(token -> assertThat(token.sha256()).isEqualTo(ConfigParser.sha256("my-own-token")));
    }

    @Test
    void blankSwitchboardTokenCountsAsUnset() {
        DefaultConfig.Result result = DefaultConfig.fromEnvironment(Map.of(DefaultConfig.TOKEN_VARIABLE, "  "));

        assertThat(result.generatedToken()).startsWith("sb-");
        assertThat(result.config().tokens().get(0).sha256()).isEqualTo(ConfigParser.sha256(result.generatedToken()));
    }

    @Test
    void openAiKeyEnablesTheOpenAiProviderBehindEveryAlias() {
        DefaultConfig.Result result = DefaultConfig.fromEnvironment(Map.of("OPENAI_API_KEY", "sk-test"));
        GatewayConfig config = result.config();

        assertThat(config.providers().keySet()).containsExactly("openai");
        ProviderConfig openai = config.providers().get("openai");
        assertThat(openai.type()).isEqualTo(ProviderType.OPENAI);
        assertThat(openai.apiKey()).isEqualTo("sk-test");
        assertThat(openai.baseUrl()).isEqualTo(ProviderType.OPENAI.defaultBaseUrl());
        assertThat(config.models().keySet()).containsExactly("gpt-5-mini", "gpt-5");
        assertThat(config.models().values()).allSatisfy(model -> {
            assertThat(model.provider()).isEqualTo("openai");
            assertThat(model.upstreamModel()).isEqualTo(model.id());
        });
        assertThat(aliasTargets(config)).containsExactly(
                Map.entry("fast", List.of("gpt-5-mini")), Map.entry("balanced", List.of("gpt-5")), Map.entry("smart", List.of("gpt-5")));
        assertThat(result.warnings()).isEmpty();
        assertThat(result.notices()).containsExactly("provider 'openai' enabled from OPENAI_API_KEY");
        assertConsistent(config);
    }

    @Test
    void blankKeysAreIgnored() {
        DefaultConfig.Result result = DefaultConfig.fromEnvironment(Map.of("OPENAI_API_KEY", " "));

        assertThat(result.config().providers().keySet()).containsExactly("echo");
        assertThat(result.notices()).isEmpty();
    }

    @Test
    void severalKeysPutProvidersInPreferenceOrderBehindEachAlias() {
        DefaultConfig.Result result = DefaultConfig.fromEnvironment(
                Map.of("GEMINI_API_KEY", "g", "OPENAI_API_KEY", "o", "ANTHROPIC_API_KEY", "a"));
        GatewayConfig config = result.config();

        assertThat(config.providers().keySet()).containsExactly("anthropic", "openai", "gemini");
        assertThat(config.providers().get("gemini").apiKey()).isEqualTo("g");
        assertThat(aliasTargets(config)).containsExactly(
                Map.entry("fast", List.of("claude-haiku-4-5", "gpt-5-mini", "gemini-2.5-flash")),
                Map.entry("balanced", List.of("claude-sonnet-4-6", "gpt-5", "gemini-2.5-pro")),
                Map.entry("smart", List.of("claude-opus-4-6", "gpt-5", "gemini-2.5-pro")));
        assertThat(result.notices()).hasSize(3);
        assertConsistent(config);
    }

    @Test
    void sourceSaysTheConfigurationCameFromTheEnvironment() {
        assertThat(DefaultConfig.fromEnvironment(Map.of()).config().source()).contains("environment");
    }

    @Test
    void aShortTokenVariableStopsTheStartNamingTheVariable() {
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> DefaultConfig.fromEnvironment(Map.of(DefaultConfig.TOKEN_VARIABLE, "changeme")));

        assertThat(e.field()).isEqualTo(DefaultConfig.TOKEN_VARIABLE);
        assertThat(e.getMessage()).contains("is 8 characters long").doesNotContain("changeme");
    }

    @Test
    void aKeyVariableWithALineBreakStopsTheStartNamingTheVariable() {
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> DefaultConfig.fromEnvironment(Map.of("ANTHROPIC_API_KEY", "sk-ant-123\n")));

        assertThat(e.field()).isEqualTo("ANTHROPIC_API_KEY");
        assertThat(e.getMessage()).contains("line feed").doesNotContain("sk-ant-123");
    }
}
