package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request mapper over the table in {@code fixtures/anthropic/request-cases.json}: each case is
 * an OpenAI request and either the exact Anthropic body expected or the 400 expected.
 */
class RequestMapperTest {
    static final String DEFAULT_UPSTREAM_MODEL = "claude-sonnet-4-5";

    static Stream<Arguments> cases() {
        return Fixtures.json("request-cases.json").asJsonArray().stream()
                .map(JsonValue::asJsonObject)
                .map(c -> Arguments.of(c.getString("name"), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mapsEveryCaseOfTheTable(String name, JsonObject testCase) {
        ChatRequest request = Fixtures.request(testCase.getJsonObject("request"));
        ModelConfig model = Fixtures.model(testCase.getString("upstreamModel", DEFAULT_UPSTREAM_MODEL),
                testCase.get("maxOutputTokens") instanceof JsonNumber n ? n.intValue() : null);
        if (testCase.containsKey("expect")) {
            JsonObject expected = testCase.getJsonObject("expect");
            JsonObject actual = RequestMapper.map(request.json(), model);
            assertThat(actual).as("mapped body:%n%s", Fixtures.pretty(actual)).isEqualTo(expected);
        } else {
            JsonObject expected = testCase.getJsonObject("error");
            GatewayException thrown = catchThrowableOfType(GatewayException.class,
                    () -> RequestMapper.map(request.json(), model));
            assertThat(thrown).as("expected a 400").isNotNull();
            GatewayError error = thrown.error();
            assertThat(error.status()).isEqualTo(400);
            assertThat(error.type()).isEqualTo("invalid_request_error");
            assertThat(error.param()).isEqualTo(expected.getString("param"));
            assertThat(error.code()).isEqualTo(expected.isNull("code") ? null : expected.getString("code"));
            assertThat(error.message()).contains(expected.getString("contains"));
        }
    }

    @Test
    void theTableCoversBothOutcomes() {
        // Guards against a fixture edit that silently turns every case into the same kind.
        long errors = cases().filter(a -> ((JsonObject) a.get()[1]).containsKey("error")).count();
        long bodies = cases().filter(a -> ((JsonObject) a.get()[1]).containsKey("expect")).count();
        assertThat(errors).isGreaterThanOrEqualTo(15);
        assertThat(bodies).isGreaterThanOrEqualTo(40);
        assertThat(errors + bodies).isEqualTo(cases().count());
    }
}
