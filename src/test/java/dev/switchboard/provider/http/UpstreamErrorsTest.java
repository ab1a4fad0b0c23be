package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.FailureKind;
import dev.switchboard.upstream.UpstreamFailure;
import java.net.URI;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamErrorsTest {
    private static final String API_KEY = "sk-live-S3CR3T-do-not-leak";
    private static final ProviderConfig PROVIDER = new ProviderConfig("openai-main", ProviderType.OPENAI,
            URI.create("https://api.openai.com/v1"), API_KEY, Map.of(), Timeouts.DEFAULTS);

    /** What the client is expected to see for an upstream status. */
    record Expected(int status, String type, String code, String param, boolean retryable, String retryAfter) {
    }

    private static Arguments row(int upstream, String type, String code, String param, String retryAfter, Expected expected) {
        return Arguments.of(upstream, type, code, param, retryAfter, expected);
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                // The client's request is at fault: kept as the provider said it.
                row(400, "invalid_request_error", "invalid_value", "temperature", null,
                        new Expected(400, "invalid_request_error", "invalid_value", "temperature", false, null)),
                row(400, null, null, null, null, new Expected(400, "invalid_request_error", null, null, false, null)),
                row(404, "invalid_request_error", "model_not_found", "model", null,
                        new Expected(404, "invalid_request_error", "model_not_found", "model", false, null)),
                row(409, "conflict", null, null, null, new Expected(409, "conflict", null, null, false, null)),
                row(413, null, null, null, null, new Expected(413, "invalid_request_error", null, null, false, null)),
                row(422, null, "unprocessable", "messages", "3",
                        new Expected(422, "invalid_request_error", "unprocessable", "messages", false, null)),
                // The provider gave up waiting for our request: a timeout, worth another try.
                row(408, null, null, null, null, new Expected(504, "server_error", "upstream_timeout", null, true, null)),
                // The provider refused the gateway's own credential.
                row(401, "invalid_request_error", "invalid_api_key", "x", null,
                        new Expected(401, "authentication_error", "upstream_authentication_error", null, false, null)),
                row(403, null, null, null, null, new Expected(403, "permission_error", "upstream_permission_error", null, false, null)),
                // Rate limits keep Retry-After.
                row(429, null, null, null, "20", new Expected(429, "rate_limit_error", "rate_limit_exceeded", null, true, "20")),
                row(429, "tokens", "rate_limit_exceeded", null, "7", new Expected(429, "tokens", "rate_limit_exceeded", null, true, "7")),
                row(429, null, "insufficient_quota", null, null, new Expected(429, "rate_limit_error", "insufficient_quota", null, true, null)),
                // Server trouble: a gateway error.
                row(500, "server_error", "boom", "p", null, new Expected(502, "server_error", "upstream_error", null, true, null)),
                row(502, null, null, null, null, new Expected(502, "server_error", "upstream_error", null, true, null)),
                // 503 and Anthropic's 529 are one condition, an overloaded or unavailable provider, whatever the type.
                row(503, null, null, null, "30", new Expected(503, "server_error", "upstream_overloaded", null, true, "30")),
                row(503, "server_error", "service_unavailable", "p", null,
                        new Expected(503, "server_error", "upstream_overloaded", null, true, null)),
                row(501, null, null, null, null, new Expected(502, "server_error", "upstream_error", null, false, null)),
                row(505, null, null, null, null, new Expected(502, "server_error", "upstream_error", null, false, null)),
                row(504, null, null, null, null, new Expected(504, "server_error", "upstream_timeout", null, true, null)),
                row(529, "overloaded_error", null, null, "10", new Expected(503, "server_error", "upstream_overloaded", null, true, "10")),
                // Redirects are not followed; one reaching us means a misconfigured baseUrl, not a client error.
                row(301, null, null, null, null, new Expected(502, "server_error", "upstream_error", null, false, null)),
                row(302, null, null, null, null, new Expected(502, "server_error", "upstream_error", null, false, null)),
                row(307, null, null, null, null, new Expected(502, "server_error", "upstream_error", null, false, null)));
    }

    @ParameterizedTest(name = "HTTP {0} type={1} code={2}")
    @MethodSource("statuses")
    void upstreamStatusMapsToTheClientsError(int upstream, String type, String code, String param, String retryAfter, Expected expected) {
        GatewayError error = UpstreamErrors.forStatus(PROVIDER, upstream, type, code, param, "upstream says no", retryAfter);

        assertThat(new Expected(error.status(), error.type(), error.code(), error.param(), FailureKind.of(error.kind()).retryable(), error.retryAfter()))
                .isEqualTo(expected);
        assertThat(error.message()).contains("upstream says no");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 422})
    void clientErrorsKeepTheProvidersMessageAsItIs(int status) {
        GatewayError error = UpstreamErrors.forStatus(PROVIDER, status, null, null, null, "Invalid 'messages[0].role'.", null);

        assertThat(error.message()).isEqualTo("Invalid 'messages[0].role'.");
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void credentialRejectionNamesTheProviderAndThePlaceToFixIt(int status) {
        GatewayError error = UpstreamErrors.forStatus(PROVIDER, status, null, null, null, "bad key", null);

        assertThat(error.message())
                .contains("Provider 'openai-main' rejected the credentials Switchboard sent (HTTP " + status + ")")
                .contains("apiKey")
                .endsWith("Provider said: bad key");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 529, 302})
    void gatewayErrorsNameTheProviderAndTheStatus(int status) {
        GatewayError error = UpstreamErrors.forStatus(PROVIDER, status, null, null, null, "it broke", null);

        assertThat(error.message()).isEqualTo("Provider 'openai-main' failed (HTTP " + status + "): it broke");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 429, 500, 529})
    void missingOrBlankUpstreamMessageIsReplacedByOneNamingTheStatus(int status) {
        for (String blank : new String[] {null, "", "  "}) {
            GatewayError error = UpstreamErrors.forStatus(PROVIDER, status, null, null, null, blank, null);

            assertThat(error.message()).contains("Provider 'openai-main'").contains("HTTP " + status);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 400, 401, 403, 404, 408, 422, 429, 500, 502, 503, 504, 529})
    void messageNeverCarriesTheProviderKeyOnceTheAttemptsSinkHasSeenIt(int status) {
        GatewayError plain = RedactingSink.clean(UpstreamErrors.forStatus(PROVIDER, status, null, null, null, "nope", null),
                PROVIDER.secrets());
        GatewayError echoed = RedactingSink.clean(UpstreamErrors.forStatus(PROVIDER, status, null, null, null,
                "Incorrect API key provided: " + API_KEY + ". You can find your API key at https://x.", null),
                PROVIDER.secrets());

        assertThat(plain.message()).doesNotContain(API_KEY);
        assertThat(echoed.message()).doesNotContain(API_KEY).contains("Incorrect API key provided");
        assertThat(new String(echoed.toJson(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(API_KEY);
    }

    @Test
    void providerWithoutKeyKeepsTheMessage() {
        ProviderConfig keyless = new ProviderConfig("local", ProviderType.OPENAI, URI.create("http://127.0.0.1:1/v1"),
                null, Map.of(), Timeouts.DEFAULTS);

        assertThat(UpstreamErrors.forStatus(keyless, 400, null, null, null, "as is", null).message()).isEqualTo("as is");
    }

    @Test
    void aServerErrorWithoutAMessageSaysSoOnce() {
        assertThat(UpstreamErrors.forStatus(PROVIDER, 500, null, null, null, " ", null).message())
                .isEqualTo("Provider 'openai-main' failed (HTTP 500).");
    }

    @Test
    void connectorsClassifyAndTheTableMapsWithTheirOwnDetail() {
        GatewayError overloaded = UpstreamErrors.forStatus("gemini", UpstreamErrors.OVERLOADED_STATUS, "HTTP 503 UNAVAILABLE",
                null, null, null, "The model is overloaded.", "4");
        GatewayError badKey = UpstreamErrors.forStatus("gemini", 401, "HTTP 400 API_KEY_INVALID", null, null, null,
                "API key not valid.", null);

        assertThat(overloaded).isEqualTo(new GatewayError(ErrorKind.UPSTREAM_OVERLOADED, 503, "server_error", "upstream_overloaded", null,
                "Provider 'gemini' failed (HTTP 503 UNAVAILABLE): The model is overloaded.", "4"));
        assertThat(badKey).isEqualTo(new GatewayError(ErrorKind.UPSTREAM_AUTHENTICATION, 401, "authentication_error", "upstream_authentication_error", null,
                "Provider 'gemini' rejected the credentials Switchboard sent (HTTP 400 API_KEY_INVALID); check the"
                        + " provider's apiKey in the Switchboard configuration. Provider said: API key not valid.", null));
    }

    @Test
    void aBillingRefusalNamesTheProvidersAccount() {
        GatewayError billing = UpstreamErrors.accountRefused("anthropic", 402, "HTTP 402 billing_error", "Credit balance too low");

        assertThat(billing.status()).isEqualTo(402);
        assertThat(billing.type()).isEqualTo("billing_error");
        assertThat(billing.code()).isEqualTo("upstream_billing_error");
        assertThat(billing.kind()).isEqualTo(ErrorKind.UPSTREAM_BILLING);
        assertThat(billing.message()).startsWith("Provider 'anthropic' refused the request for a billing problem")
                .endsWith("Provider said: Credit balance too low");
    }

    @Test
    void quotedBodiesAreTrimmedButNotCutBeforeTheSecretsAreOut() {
        assertThat(UpstreamErrors.quoteBody("  \n ")).isNull();
        assertThat(UpstreamErrors.quoteBody(" <html>Bad Gateway</html>\n")).isEqualTo("<html>Bad Gateway</html>");
        assertThat(UpstreamErrors.quoteBody("x".repeat(5000))).hasSize(5000);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(UpstreamFailure.Kind.CONNECT_REFUSED, 502, "upstream_unreachable", true, "could not connect to provider 'openai-main'"),
                Arguments.of(UpstreamFailure.Kind.UNKNOWN_HOST, 502, "upstream_unreachable", true, "could not resolve the host of provider 'openai-main'"),
                Arguments.of(UpstreamFailure.Kind.CONNECT_TIMEOUT, 504, "upstream_timeout", true, "Connecting to provider 'openai-main' timed out."),
                Arguments.of(UpstreamFailure.Kind.TLS, 502, "upstream_unreachable", true, "The TLS handshake with provider 'openai-main' failed"),
                Arguments.of(UpstreamFailure.Kind.CLOSED, 502, "upstream_error", true, "Provider 'openai-main' closed the connection before the response was complete."),
                Arguments.of(UpstreamFailure.Kind.TIMEOUT, 504, "upstream_timeout", true, "Provider 'openai-main' timed out."),
                Arguments.of(UpstreamFailure.Kind.OTHER, 502, "upstream_error", true, "The request to provider 'openai-main' failed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void transportFailureMapsToAGatewayError(UpstreamFailure.Kind kind, int status, String code, boolean retryable, String fragment) {
        GatewayError error = UpstreamErrors.transport(PROVIDER, new UpstreamFailure(kind, "Connection refused: api.openai.com"));

        assertThat(error.status()).isEqualTo(status);
        assertThat(error.type()).isEqualTo("server_error");
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.param()).isNull();
        assertThat(FailureKind.of(error.kind()).retryable()).isEqualTo(retryable);
        assertThat(error.message()).contains(fragment).doesNotContain(API_KEY)
                .as("no exception text or address").doesNotContain("Connection refused").doesNotContain("api.openai.com");
    }

    @Test
    void everyFailureKindIsMapped() {
        for (UpstreamFailure.Kind kind : UpstreamFailure.Kind.values()) {
            assertThat(failures()).as("a row for %s", kind).anySatisfy(row -> assertThat(row.get()[0]).isEqualTo(kind));
        }
    }

    @ParameterizedTest
    @EnumSource(value = UpstreamFailure.Kind.class, names = {"CONNECT_REFUSED", "UNKNOWN_HOST", "TLS", "OTHER"})
    void failureDetailStaysInTheLog(UpstreamFailure.Kind kind) {
        assertThat(UpstreamErrors.transport(PROVIDER, new UpstreamFailure(kind, "the detail")).message())
                .doesNotContain("the detail");
    }

    @Test
    void timeoutsNameTheLimit() {
        GatewayError firstByte = UpstreamErrors.firstByteTimeout(PROVIDER, 120_000);
        GatewayError idle = UpstreamErrors.idleTimeout(PROVIDER, 30_000);

        assertThat(firstByte.status()).isEqualTo(504);
        assertThat(firstByte.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
        assertThat(firstByte.message()).isEqualTo("Provider 'openai-main' did not answer within 120000 ms.");
        assertThat(idle.status()).isEqualTo(504);
        assertThat(idle.code()).isEqualTo("upstream_timeout");
        assertThat(idle.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
        assertThat(idle.message()).contains("30000 ms").contains("in the middle of its stream");
    }

    @Test
    void unreadableAndCutShortReplies() {
        GatewayError unreadable = UpstreamErrors.unreadable(PROVIDER, "a stream event");
        GatewayError cutShort = UpstreamErrors.cutShort(PROVIDER);

        assertThat(unreadable.status()).isEqualTo(502);
        assertThat(unreadable.code()).isEqualTo("upstream_protocol_error");
        assertThat(FailureKind.of(unreadable.kind())).isEqualTo(FailureKind.BAD_RESPONSE);
        assertThat(unreadable.message()).isEqualTo("Provider 'openai-main' sent a stream event that Switchboard could not read.");
        assertThat(cutShort.status()).isEqualTo(502);
        assertThat(cutShort.code()).isEqualTo("upstream_error");
        assertThat(cutShort.message()).contains("ended its stream before the response was complete");
    }
}
