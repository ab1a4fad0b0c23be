package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.http.RedactingSink;
import dev.switchboard.provider.FailureKind;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gemini's error statuses and bodies as OpenAI errors (docs/protocols/openai-to-gemini.md A5, B8). */
class GeminiErrorsTest {
    private static final String API_KEY = "AIzaSyS3CR3T-key_123";
    private static final ProviderConfig GOOGLE = provider("google");

    private static ProviderConfig provider(String id) {
        return new ProviderConfig(id, ProviderType.GEMINI, URI.create("https://generativelanguage.googleapis.com"),
                API_KEY, Map.of(), Timeouts.DEFAULTS);
    }

    private static final String BAD_KEY = """
            {
              "error": {
                "code": 400,
                "message": "API key not valid. Please pass a valid API key.",
                "status": "INVALID_ARGUMENT",
                "details": [
                  {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                    "metadata": {"service": "generativelanguage.googleapis.com"}
                  }
                ]
              }
            }
            """;
    private static final String QUOTA = """
            {"error": {"code": 429, "message": "You exceeded your current quota.", "status": "RESOURCE_EXHAUSTED",
              "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []},
                          {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "36.5s"}]}}""";

    private static String error(int code, String status, String message) {
        return "{\"error\": {\"code\": " + code + ", \"message\": \"" + message + "\", \"status\": \"" + status + "\"}}";
    }

    /** status, body, Retry-After header → client status, type, code, param, retryable, Retry-After, message part. */
    static Stream<Arguments> mappings() {
        return Stream.of(
                Arguments.of(400, BAD_KEY, null, 401, "authentication_error", "upstream_authentication_error", null, false,
                        null, "check the provider's apiKey"),
                Arguments.of(400, error(400, "INVALID_ARGUMENT", "Invalid JSON payload received."), null,
                        400, "invalid_request_error", null, null, false, null, "Invalid JSON payload received."),
                Arguments.of(400, error(400, "INVALID_ARGUMENT",
                                "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."), null,
                        400, "invalid_request_error", "context_length_exceeded", "messages", false, null, "1048576"),
                Arguments.of(400, error(400, "FAILED_PRECONDITION", "User location is not supported for the API use."), null,
                        400, "invalid_request_error", null, null, false, null, "location"),
                Arguments.of(401, error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."), null,
                        401, "authentication_error", "upstream_authentication_error", null, false, null, "Switchboard sent"),
                Arguments.of(403, error(403, "PERMISSION_DENIED", "The caller does not have permission"), null,
                        403, "permission_error", "upstream_permission_error", null, false, null, "apiKey"),
                Arguments.of(404, error(404, "NOT_FOUND", "models/gemini-x is not found for API version v1beta"), null,
                        404, "invalid_request_error", "model_not_found", "model", false, null, "gemini-x"),
                Arguments.of(429, QUOTA, null, 429, "rate_limit_error", "rate_limit_exceeded", null, true, "37", "quota"),
                Arguments.of(429, QUOTA, "12", 429, "rate_limit_error", "rate_limit_exceeded", null, true, "12", "quota"),
                Arguments.of(500, error(500, "INTERNAL", "An internal error has occurred."), null,
                        502, "server_error", "upstream_error", null, true, null, "HTTP 500 INTERNAL"),
                Arguments.of(503, error(503, "UNAVAILABLE", "The model is overloaded. Please try again later."), "5",
                        503, "server_error", "upstream_overloaded", null, true, "5", "overloaded"),
                Arguments.of(503, "<html>Service Unavailable</html>", null,
                        503, "server_error", "upstream_overloaded", null, true, null, "HTTP 503"),
                Arguments.of(504, error(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete."), null,
                        504, "server_error", "upstream_timeout", null, true, null, "DEADLINE_EXCEEDED"),
                Arguments.of(502, "<html>Bad Gateway</html>", null,
                        502, "server_error", "upstream_error", null, true, null, "<html>Bad Gateway</html>"),
                Arguments.of(400, "[" + error(400, "INVALID_ARGUMENT", "wrapped in an array") + "]", null,
                        400, "invalid_request_error", null, null, false, null, "wrapped in an array"),
                Arguments.of(418, "", null, 418, "invalid_request_error", null, null, false, null, "answered HTTP 418"));
    }

    @ParameterizedTest(name = "HTTP {0} -> {3} {5}")
    @MethodSource("mappings")
    void mapsErrors(int status, String body, String retryAfter, int clientStatus, String type, String code, String param,
                    boolean retryable, String clientRetryAfter, String messagePart) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        GatewayError error = GeminiErrors.toGateway(GOOGLE, status, GeminiErrors.parse(bytes, bytes.length), retryAfter);

        assertThat(error.status()).isEqualTo(clientStatus);
        assertThat(error.type()).isEqualTo(type);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.param()).isEqualTo(param);
        assertThat(FailureKind.of(error.kind()).retryable()).isEqualTo(retryable);
        assertThat(error.retryAfter()).isEqualTo(clientRetryAfter);
        assertThat(error.message()).contains(messagePart);
    }

    @Test
    void invalidKeyIsNamedAsTheProvidersCredentialAndNeverQuotesIt() {
        byte[] bytes = BAD_KEY.getBytes(StandardCharsets.UTF_8);

        GatewayError error = GeminiErrors.toGateway(provider("gemini-prod"), 400, GeminiErrors.parse(bytes, bytes.length), null);

        assertThat(error.message()).isEqualTo("Provider 'gemini-prod' rejected the credentials Switchboard sent"
                + " (HTTP 400 API_KEY_INVALID); check the provider's apiKey in the Switchboard configuration."
                + " Provider said: API key not valid. Please pass a valid API key.");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {301, 302, 307})
    void aRedirectIsANonRetryable502NeverPassedOn(int status) {
        byte[] bytes = "<html>Moved</html>".getBytes(StandardCharsets.UTF_8);

        GatewayError error = RedactingSink.clean(
                        GeminiErrors.toGateway(GOOGLE, status, GeminiErrors.parse(bytes, bytes.length), null), GOOGLE.secrets());

        assertThat(error).isEqualTo(new GatewayError(ErrorKind.UPSTREAM_BAD_RESPONSE, 502, "server_error", "upstream_error", null,
                "Provider 'google' failed (HTTP " + status + "): <html>Moved</html>", null));
    }

    @Test
    void theProviderKeyIsCutOutOfWhateverTheUpstreamQuoted() {
        for (String body : new String[] {
                error(400, "INVALID_ARGUMENT", "API key " + API_KEY + " not valid"),
                error(403, "PERMISSION_DENIED", "key " + API_KEY + " lacks access"),
                error(500, "INTERNAL", "echo " + API_KEY),
                "<html>x-goog-api-key: " + API_KEY + "</html>"}) {
            for (int status : new int[] {302, 400, 403, 429, 500, 503}) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

                GatewayError error = RedactingSink.clean(
                        GeminiErrors.toGateway(GOOGLE, status, GeminiErrors.parse(bytes, bytes.length), null), GOOGLE.secrets());

                assertThat(error.message()).as("HTTP %d %s", status, body).doesNotContain(API_KEY).contains("<redacted>");
            }
        }
    }

    @Test
    void anAbsurdRetryDelayIsIgnoredRatherThanComputed() {
        assertThat(GeminiErrors.seconds("1e999999999s")).isNull();
    }

    @Test
    void errorReportedInsideAStreamUsesItsOwnCode() {
        GatewayError byCode = GeminiErrors.reported("google", TestJson.json(
                "{'code':429,'message':'slow down','status':'RESOURCE_EXHAUSTED'}"));
        GatewayError byStatusName = GeminiErrors.reported("google", TestJson.json(
                "{'message':'took too long','status':'DEADLINE_EXCEEDED'}"));
        GatewayError unknown = GeminiErrors.reported("google", TestJson.json("{'message':'??'}"));

        assertThat(byCode.status()).isEqualTo(429);
        assertThat(byStatusName.status()).isEqualTo(504);
        assertThat(unknown.status()).isEqualTo(502);
    }

    @Test
    void retryDelaysAreRoundedUpToWholeSeconds() {
        assertThat(GeminiErrors.seconds("37s")).isEqualTo("37");
        assertThat(GeminiErrors.seconds("0.2s")).isEqualTo("1");
        assertThat(GeminiErrors.seconds("1.000001s")).isEqualTo("2");
        assertThat(GeminiErrors.seconds("soon")).isNull();
        assertThat(GeminiErrors.seconds(null)).isNull();
    }
}
