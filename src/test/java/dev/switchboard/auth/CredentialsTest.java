package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CredentialsTest {
    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "NULL", value = {
            "Bearer sk-abc            | sk-abc",
            "bearer sk-abc            | sk-abc",
            "BEARER sk-abc            | sk-abc",
            "BeArEr sk-abc            | sk-abc",
            "`Bearer   sk-abc  `      | sk-abc",
            "Bearer a.b-c_d~e+f/g=    | a.b-c_d~e+f/g=",
            "Basic dXNlcjpwYXNz       | NULL",
            "Bearer                   | NULL",
            "`Bearer `                | NULL",
            "`Bearer   `              | NULL",
            "Bearersk-abc             | NULL",
            "`Bearer\tsk-abc`         | NULL",
            "sk-abc                   | NULL",
            "`  Bearer sk-abc`        | NULL",
            "Token sk-abc             | NULL",
            "``                       | NULL"})
    void bearerTokenIsTakenFromTheHeader(String header, String expected) {
        assertThat(Credentials.bearerToken(header)).isEqualTo(expected);
    }

    @Test
    void missingHeaderHasNoToken() {
        assertThat(Credentials.bearerToken(null)).isNull();
    }
}
