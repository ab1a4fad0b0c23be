package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Chat door's requests to Anthropic, through the internal model ({@code ChatToLlm}, then
 * {@link LlmRequestMapper}), over the table in {@code fixtures/anthropic/request-cases.json}: each
 * case is an OpenAI request and either the exact Anthropic body expected or the 400 expected.
 */
class ChatRequestCasesTest {
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
            JsonObject actual = LlmRequestMapper.map(request.llmRequest(), model);
            assertThat(actual).as("mapped body:%n%s", Fixtures.pretty(actual)).isEqualTo(expected);
        } else {
            JsonObject expected = testCase.getJsonObject("error");
            GatewayException thrown = catchThrowableOfType(GatewayException.class,
                    () -> LlmRequestMapper.map(request.llmRequest(), model));
            assertThat(thrown).as("expected a 400").isNotNull();
            GatewayError error = thrown.error();
            assertThat(error.status()).isEqualTo(400);
            assertThat(error.type()).isEqualTo("invalid_request_error");
            assertThat(error.param()).isEqualTo(expected.getString("param"));
            assertThat(error.code()).isEqualTo(expected.isNull("code") ? null : expected.getString("code"));
            assertThat(error.message()).contains(expected.getString("contains"));
        }
    }

    /** A user id, and whether it goes out as {@code metadata.user_id}. */
    static Stream<Arguments> userIds() {
        return Stream.of(
                // Dates and short dash-separated numbers are ids, not phone numbers.
                Arguments.of("2024-01-15", true),
                Arguments.of("1234-5678", true),
                Arguments.of("12.345.678", true),
                Arguments.of("555-0199", true),
                Arguments.of("12345678", true),
                Arguments.of("u-2024-01-15", true),
                // Phone numbers: a leading + or an area code in parentheses with 7 digits, or 10 digits written with separators.
                Arguments.of("+4915112345678", false),
                Arguments.of("+49 30 1234", false),
                Arguments.of("(555) 010-9999", false),
                Arguments.of("(030) 12345", false),
                Arguments.of("555-010-9999", false),
                Arguments.of("555.010.9999", false),
                Arguments.of("030 1234 5678", false),
                Arguments.of("+1 (555) 010-9999", false),
                // Too few digits even with a +.
                Arguments.of("+49 301", true),
                // E-mail addresses, with a line break on either side of the @ too.
                Arguments.of("jane@example.com", false),
                Arguments.of("jane\n@example.com", false),
                Arguments.of("jane@\nexample.com", false),
                Arguments.of("a\r\nb@c", false));
    }

    @ParameterizedTest(name = "{0} sent: {1}")
    @MethodSource("userIds")
    void userIdsThatLookLikePersonalDataAreNotSent(String id, boolean sent) {
        JsonObject body = Json.createObjectBuilder().add("model", "claude")
                .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("role", "user").add("content", "hi")))
                .add("user", id).build();

        JsonObject mapped = LlmRequestMapper.map(Fixtures.request(body).llmRequest(), Fixtures.model(DEFAULT_UPSTREAM_MODEL, null));

        if (sent) {
            assertThat(mapped.get("metadata")).isEqualTo(Json.createObjectBuilder().add("user_id", id).build());
        } else {
            assertThat(mapped).doesNotContainKey("metadata");
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
