package dev.switchboard.provider.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolArgumentsTest {
    static final String PATH = "messages[1].tool_calls[0].function.arguments";

    static JsonValue value(String json) {
        return Json.parseObject("{\"v\":" + json + "}").get("v");
    }

    @Test
    void aJsonStringHoldingAnObjectIsParsed() {
        assertThat(ToolArguments.parse(value("\"{\\\"city\\\":\\\"Paris\\\"}\""), PATH))
                .isEqualTo(Json.parseObject("{\"city\":\"Paris\"}"));
    }

    @Test
    void absentNullAndBlankMeanNoArguments() {
        assertThat(ToolArguments.parse(null, PATH)).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        assertThat(ToolArguments.parse(value("null"), PATH)).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        assertThat(ToolArguments.parse(value("\" \""), PATH)).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "'\"{city: Paris}\"'        | must be a string holding a JSON object: ",
            "'\"[1, 2]\"'               | expected a JSON object but found an array",
            "'\"{\\\"a\\\":1,\\\"a\\\":2}\"' | must be a string holding a JSON object: ",
            "'{\"city\":\"Paris\"}'     | must be a string holding a JSON object, not an object.",
            "'42'                       | not a number"})
    void anythingElseIsA400NamingTheField(String json, String fragment) {
        assertThatThrownBy(() -> ToolArguments.parse(value(json), PATH))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo(PATH);
                    assertThat(e.error().message()).startsWith(PATH).contains(fragment);
                });
    }
}
