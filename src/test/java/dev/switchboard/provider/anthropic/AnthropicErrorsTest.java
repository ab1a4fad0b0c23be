package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.json.Json;
import dev.switchboard.provider.FailureKind;
import dev.switchboard.provider.http.RedactingSink;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnthropicErrorsTest {
    static final String API_KEY = "sk-ant-api03-S3CR3T";
    static final ProviderConfig PROVIDER = new ProviderConfig("anthropic-main", ProviderType.ANTHROPIC,
            URI.create("https://api.anthropic.com"), API_KEY, Map.of(), Timeouts.DEFAULTS);

    static String body(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
                + "\"},\"request_id\":\"req_011ABC\"}";
    }

    /** Upstream status, body, Retry-After → the error the client gets. */
    static Stream<Arguments> responses() {
        return Stream.of(
                Arguments.of(400, body("invalid_request_error", "max_tokens: Field required"), null,
                        new GatewayError(ErrorKind.UPSTREAM_REJECTED, 400, "invalid_request_error", null, null, "max_tokens: Field required", null)),
                Arguments.of(400, body("invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"), null,
                        new GatewayError(ErrorKind.UPSTREAM_REJECTED, 400, "invalid_request_error", "context_length_exceeded", "messages",
                                "prompt is too long: 210000 tokens > 200000 maximum", null)),
                Arguments.of(404, body("not_found_error", "model: claude-nope"), null,
                        new GatewayError(ErrorKind.UPSTREAM_REJECTED, 404, "invalid_request_error", "model_not_found", "model", "model: claude-nope", null)),
                Arguments.of(404, body("not_found_error", "Not found"), null,
                        new GatewayError(ErrorKind.UPSTREAM_REJECTED, 404, "invalid_request_error", "not_found", null, "Not found", null)),
                Arguments.of(413, body("request_too_large", "Request exceeds the maximum allowed number of bytes."), null,
                        new GatewayError(ErrorKind.UPSTREAM_REJECTED, 413, "invalid_request_error", "request_too_large", null,
                                "Request exceeds the maximum allowed number of bytes.", null)),
                Arguments.of(429, body("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"),
                        "17", new GatewayError(ErrorKind.UPSTREAM_RATE_LIMITED, 429, "rate_limit_error", "rate_limit_exceeded", null,
                                "Number of request tokens has exceeded your per-minute rate limit", "17")),
                Arguments.of(500, body("api_error", "Internal server error"), null,
                        new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "server_error", "upstream_error", null,
                                "Provider 'anthropic-main' failed (HTTP 500 api_error): Internal server error", null)),
                Arguments.of(504, body("timeout_error", "Request timed out"), null,
                        new GatewayError(ErrorKind.UPSTREAM_TIMEOUT, 504, "server_error", "upstream_timeout", null,
                                "Provider 'anthropic-main' failed (HTTP 504 timeout_error): Request timed out", null)),
                Arguments.of(529, body("overloaded_error", "Overloaded"), "30",
                        new GatewayError(ErrorKind.UPSTREAM_OVERLOADED, 503, "server_error", "upstream_overloaded", null,
                                "Provider 'anthropic-main' failed (HTTP 529 overloaded_error): Overloaded", "30")),
                // A 503 is the overloaded case whether Anthropic typed it api_error, overloaded_error or not at all.
                Arguments.of(503, body("api_error", "Service unavailable"), "8",
                        new GatewayError(ErrorKind.UPSTREAM_OVERLOADED, 503, "server_error", "upstream_overloaded", null,
                                "Provider 'anthropic-main' failed (HTTP 503 api_error): Service unavailable", "8")),
                Arguments.of(503, "upstream connect error", null,
                        new GatewayError(ErrorKind.UPSTREAM_OVERLOADED, 503, "server_error", "upstream_overloaded", null,
                                "Provider 'anthropic-main' failed (HTTP 503): upstream connect error", null)),
                Arguments.of(529, body("api_error", "Overloaded"), null,
                        new GatewayError(ErrorKind.UPSTREAM_OVERLOADED, 503, "server_error", "upstream_overloaded", null,
                                "Provider 'anthropic-main' failed (HTTP 529 api_error): Overloaded", null)),
                // No JSON body at all: the status decides, and the body is quoted.
                Arguments.of(529, "", null,
                        new GatewayError(ErrorKind.UPSTREAM_OVERLOADED, 503, "server_error", "upstream_overloaded", null,
                                "Provider 'anthropic-main' failed (HTTP 529).", null)),
                Arguments.of(502, "<html><body>Bad Gateway</body></html>", null,
                        new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "server_error", "upstream_error", null,
                                "Provider 'anthropic-main' failed (HTTP 502): <html><body>Bad Gateway</body></html>",
                                null)),
                // A type added after this code: an unknown 4xx stays the client's problem.
                Arguments.of(422, body("brand_new_error", "Something new"), null,
                        new GatewayError(ErrorKind.UPSTREAM_REJECTED, 422, "invalid_request_error", null, null, "Something new", null)));
    }

    @ParameterizedTest(name = "HTTP {0}: {1}")
    @MethodSource("responses")
    void mapsErrorResponses(int status, String body, String retryAfter, GatewayError expected) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(AnthropicErrors.fromResponse(PROVIDER, status, bytes, bytes.length, retryAfter)).isEqualTo(expected);
    }

    @Test
    void credentialAndBillingFailuresBlameTheProviderNotTheClientToken() {
        for (String[] failure : new String[][] {
                {"401", "authentication_error", "upstream_authentication_error"},
                {"403", "permission_error", "upstream_permission_error"},
                {"402", "billing_error", "upstream_billing_error"}}) {
            int status = Integer.parseInt(failure[0]);
            byte[] bytes = body(failure[1], "invalid x-api-key").getBytes(StandardCharsets.UTF_8);

            GatewayError error = RedactingSink.clean(AnthropicErrors.fromResponse(PROVIDER, status, bytes, bytes.length, null),
                        PROVIDER.secrets());

            assertThat(error.status()).isEqualTo(status);
            assertThat(error.type()).isEqualTo(failure[1]);
            assertThat(error.code()).isEqualTo(failure[2]);
            assertThat(FailureKind.of(error.kind()).retryable()).isFalse();
            assertThat(error.message()).startsWith("Provider 'anthropic-main' ")
                    .contains("Switchboard").endsWith("Provider said: invalid x-api-key");
        }
    }

    @Test
    void theErrorTypeWinsOverTheStatus() {
        // A proxy in front of Anthropic answered 500 but passed on Anthropic's own overloaded body.
        byte[] bytes = body("overloaded_error", "Overloaded").getBytes(StandardCharsets.UTF_8);
        assertThat(AnthropicErrors.fromResponse(PROVIDER, 500, bytes, bytes.length, null).code())
                .isEqualTo("upstream_overloaded");
    }

    @Test
    void aLongNonJsonBodyIsQuotedWholeForTheSinkToRedactAndCut() {
        byte[] bytes = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
        GatewayError error = AnthropicErrors.fromResponse(PROVIDER, 500, bytes, bytes.length, null);
        assertThat(error.message()).contains("x".repeat(5000));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {301, 302, 307, 308})
    void aRedirectIsANonRetryable502NeverPassedOn(int status) {
        byte[] bytes = "<html>Moved</html>".getBytes(StandardCharsets.UTF_8);

        GatewayError error = RedactingSink.clean(AnthropicErrors.fromResponse(PROVIDER, status, bytes, bytes.length, null),
                        PROVIDER.secrets());

        assertThat(error).isEqualTo(new GatewayError(ErrorKind.UPSTREAM_BAD_RESPONSE, 502, "server_error", "upstream_error", null,
                "Provider 'anthropic-main' failed (HTTP " + status + "): <html>Moved</html>", null));
    }

    @Test
    void theProviderKeyIsCutOutOfWhateverTheUpstreamQuoted() {
        for (String body : new String[] {
                body("authentication_error", "invalid x-api-key " + API_KEY),
                body("invalid_request_error", "bad header x-api-key: " + API_KEY),
                body("api_error", "echo " + API_KEY),
                "<html>x-api-key: " + API_KEY + "</html>"}) {
            for (int status : new int[] {302, 400, 401, 500}) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

                GatewayError error = RedactingSink.clean(AnthropicErrors.fromResponse(PROVIDER, status, bytes, bytes.length, null),
                        PROVIDER.secrets());

                assertThat(error.message()).as("HTTP %d %s", status, body).doesNotContain(API_KEY).contains("<redacted>");
            }
        }
    }

    @Test
    void mapsInStreamErrorEventsByTheirType() {
        assertThat(AnthropicErrors.fromStreamEvent(PROVIDER.id(), Json.parseObject(
                "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}")))
                .isEqualTo(new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "server_error", "upstream_error", null,
                        "Provider 'anthropic-main' failed (api_error): Internal server error", null));
        assertThat(AnthropicErrors.fromStreamEvent(PROVIDER.id(), Json.parseObject(
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}")).status())
                .isEqualTo(429);
        assertThat(AnthropicErrors.fromStreamEvent(PROVIDER.id(), Json.parseObject(
                "{\"type\":\"error\",\"error\":{\"type\":\"mystery_error\",\"message\":\"?\"}}")).message())
                .isEqualTo("Provider 'anthropic-main' failed (mystery_error): ?");
    }
}
