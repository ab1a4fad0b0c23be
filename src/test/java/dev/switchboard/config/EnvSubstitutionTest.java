package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {
    private static final Map<String, String> ENV = Map.of(
            "HOME_DIR", "/home/me",
            "EMPTY", "",
            "KEY", "sk-123",
            "_under_9", "u9",
            "TRICKY", "${KEY}");

    private static String apply(String value) {
        return EnvSubstitution.apply(value, "some.field", ENV);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "plain text                  | plain text",
            "``                          | ``",
            "${KEY}                      | sk-123",
            "Bearer ${KEY}               | Bearer sk-123",
            "${HOME_DIR}/${KEY}          | /home/me/sk-123",
            "${_under_9}                 | u9",
            "${EMPTY}                    | ``",
            "${MISSING:-fallback}        | fallback",
            "${EMPTY:-fallback}          | fallback",
            "${KEY:-fallback}            | sk-123",
            "${MISSING:-}                | ``",
            "${MISSING:-a:-b}            | a:-b",
            "${MISSING:-with spaces}     | with spaces",
            "${MISSING:-$}               | $",
            "$${KEY}                     | ${KEY}",
            "$${KEY}${KEY}               | ${KEY}sk-123",
            "a$${b                       | a${b",
            "costs $5                    | costs $5",
            "$                           | $",
            "$$                          | $$",
            "{KEY}                       | {KEY}",
            "$KEY                        | $KEY",
            "${TRICKY}                   | ${KEY}"})
    void substitutesLikeAShell(String value, String expected) {
        assertThat(apply(value)).isEqualTo(expected);
    }

    @Test
    void unsetVariableWithoutDefaultNamesTheVariableAndTheField() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> apply("Bearer ${OPENAI_KEY_MISSING}"));

        assertThat(e.field()).isEqualTo("some.field");
        assertThat(e.getMessage())
                .startsWith("some.field: ")
                .contains("environment variable OPENAI_KEY_MISSING is not set")
                .contains("${OPENAI_KEY_MISSING:-default}");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "${KEY                | unterminated '${'",
            "abc ${               | unterminated '${'",
            "${}                  | '${}' does not name an environment variable",
            "${1ABC}              | does not name an environment variable",
            "${A B}               | does not name an environment variable",
            "${A-B}               | does not name an environment variable",
            "${:-default}         | does not name an environment variable"})
    void malformedReferencesAreErrorsOnTheField(String value, String fragment) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> apply(value));

        assertThat(e.field()).isEqualTo("some.field");
        assertThat(e.getMessage()).contains(fragment);
    }
}
