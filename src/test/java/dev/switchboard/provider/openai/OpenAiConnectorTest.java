package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.FailureKind;
import dev.switchboard.upstream.UpstreamResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OpenAI-compatible connector's error path: the upstream's error response as the client's error. */
class OpenAiConnectorTest {
    private static final ProviderConfig PROVIDER = new ProviderConfig("local", ProviderType.OPENAI,
            URI.create("http://127.0.0.1:1/v1"), "sk-local", Map.of(), Timeouts.DEFAULTS);

    private static UpstreamResponse response(int status, String retryAfter) {
        return new UpstreamResponse() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public String header(String name) {
                return name.equalsIgnoreCase("Retry-After") ? retryAfter : null;
            }
        };
    }

    @ParameterizedTest(name = "HTTP {0} -> {1} {2}")
    @CsvSource({
            // A busy server (vLLM, a proxy in front of Ollama) is overloaded, as on Claude and Gemini.
            "503, 503, upstream_overloaded, true",
            "529, 503, upstream_overloaded, true",
            "500, 502, upstream_error, true",
            "504, 504, upstream_timeout, true"})
    void serverErrorsFollowTheSharedRule(int upstream, int status, String code, boolean retryable) {
        byte[] body = "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"
                .getBytes(StandardCharsets.UTF_8);

        GatewayError error = new OpenAiConnector(null, null).upstreamError(PROVIDER, response(upstream, "3"), body,
                body.length);

        assertThat(error.status()).isEqualTo(status);
        assertThat(error.code()).isEqualTo(code);
        assertThat(FailureKind.of(error.kind()).retryable()).isEqualTo(retryable);
        assertThat(error.message()).isEqualTo("Provider 'local' failed (HTTP " + upstream + "): busy");
    }

    @ParameterizedTest(name = "Retry-After kept on HTTP {0}")
    @CsvSource({"503", "529"})
    void anOverloadedServersRetryAfterReachesTheClient(int upstream) {
        byte[] body = "Service Unavailable".getBytes(StandardCharsets.UTF_8);

        GatewayError error = new OpenAiConnector(null, null).upstreamError(PROVIDER, response(upstream, "12"), body,
                body.length);

        assertThat(error.retryAfter()).isEqualTo("12");
        assertThat(error.type()).isEqualTo("server_error");
    }
}
