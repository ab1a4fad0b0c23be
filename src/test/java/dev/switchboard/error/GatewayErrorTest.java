package dev.switchboard.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GatewayErrorTest {
    private static JsonObject errorObject(GatewayError error) {
        JsonObject body = Json.parseObject(error.toJson());
        assertThat(body.keySet()).containsExactly("error");
        return body.getJsonObject("error");
    }

    @Test
    void toJsonHasAllFourKeysInOpenAisOrder() {
        GatewayError error = new GatewayError(ErrorKind.INVALID_REQUEST, 400, "invalid_request_error", "invalid_value", "temperature", "Too hot.", null);

        assertThat(new String(error.toJson(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"error\":{\"message\":\"Too hot.\",\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":\"invalid_value\"}}");
    }

    @Test
    void nullParamAndCodeAreJsonNullsNotMissingKeys() {
        JsonObject error = errorObject(new GatewayError(ErrorKind.INTERNAL, 500, "server_error", null, null, "Oops.", null));

        assertThat(error.keySet()).containsExactly("message", "type", "param", "code");
        assertThat(error.get("param")).isEqualTo(JsonValue.NULL);
        assertThat(error.get("code")).isEqualTo(JsonValue.NULL);
        assertThat(error.getString("message")).isEqualTo("Oops.");
        assertThat(error.getString("type")).isEqualTo("server_error");
    }

    @Test
    void messageIsEscapedAndSurvivesTheRoundTrip() {
        String message = "The model 'x\"y' \\ does not\nexist \u00e9\u20ac\uD83D\uDE00 \u0001";

        assertThat(errorObject(ErrorKind.MODEL_NOT_FOUND.error("model", message)).getString("message")).isEqualTo(message);
    }

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void everyKindSerialisesWithAllFourKeys(ErrorKind kind) {
        GatewayError error = kind.error("message for " + kind);
        JsonObject json = errorObject(error);

        assertThat(json.keySet()).containsExactly("message", "type", "param", "code");
        assertThat(json.getString("type")).isEqualTo(kind.type());
        assertThat(json.get("code")).isEqualTo(kind.code() == null ? JsonValue.NULL : Json.PROVIDER.createValue(kind.code()));
        assertThat(error.status()).isEqualTo(kind.status());
        assertThat(error.kind()).isEqualTo(kind);
        assertThat(error.param()).isNull();
        assertThat(error.retryAfter()).isNull();
    }

    @Test
    void errorWithParamNamesIt() {
        GatewayError error = ErrorKind.INVALID_REQUEST.error("messages[0].role", "bad role");

        assertThat(error).isEqualTo(new GatewayError(ErrorKind.INVALID_REQUEST, 400, "invalid_request_error", null, "messages[0].role", "bad role", null));
        assertThat(errorObject(error).getString("param")).isEqualTo("messages[0].role");
    }

    @Test
    void withRetryAfterAndWithMessageChangeOnlyTheirField() {
        GatewayError error = ErrorKind.UPSTREAM_RATE_LIMITED.error("model", "slow down");

        assertThat(error.withRetryAfter("12"))
                .isEqualTo(new GatewayError(ErrorKind.UPSTREAM_RATE_LIMITED, 429, "rate_limit_error", "rate_limit_exceeded", "model", "slow down", "12"));
        assertThat(error.withMessage("later"))
                .isEqualTo(new GatewayError(ErrorKind.UPSTREAM_RATE_LIMITED, 429, "rate_limit_error", "rate_limit_exceeded", "model", "later", null));
    }

    @Test
    void retryAfterIsAHeaderNotPartOfTheBody() {
        String body = new String(ErrorKind.UPSTREAM_RATE_LIMITED.error("x").withRetryAfter("42").toJson(), StandardCharsets.UTF_8);

        assertThat(body).doesNotContain("42");
    }

    @Test
    void exceptionCarriesTheErrorAndItsMessageWithoutAStackTrace() {
        GatewayException e = ErrorKind.INVALID_JSON.exception("Not JSON.");

        assertThat(e.error()).isEqualTo(ErrorKind.INVALID_JSON.error("Not JSON."));
        assertThat(e.getMessage()).isEqualTo("Not JSON.");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(ErrorKind.INVALID_REQUEST.exception("n", "bad n").error().param()).isEqualTo("n");
    }
}
