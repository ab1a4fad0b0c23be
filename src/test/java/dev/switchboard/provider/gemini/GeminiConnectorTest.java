package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.gemini.TestJson.json;
import static dev.switchboard.provider.gemini.TestJson.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.GatewayError;
import dev.switchboard.json.Json;
import dev.switchboard.provider.FailureKind;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.http.RedactingSink;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The upstream call the connector builds and how it reads replies; no socket involved. */
class GeminiConnectorTest {
    private static final String KEY = "AIzaSyTestKey-123";
    private static final ProviderConfig PROVIDER = new ProviderConfig("google", ProviderType.GEMINI,
            URI.create("https://generativelanguage.googleapis.com"), KEY, Map.of("x-goog-user-project", "p1"),
            new Timeouts(1234, 5000, 6000));
    private static final ModelConfig MODEL = new ModelConfig("gem", "google", "gemini-2.5-flash", null);
    private static final long CREATED = 1_767_225_600L;
    // The HTTP client and scheduler are only used once a call really starts, which these tests never do.
    private final GeminiConnector connector = new GeminiConnector(null, null, () -> CREATED);

    @Test
    void nonStreamingCallGoesToGenerateContentWithTheKeyInAHeader() {
        UpstreamRequest upstream = connector.upstreamRequest(new ProviderCall(request("{'model':'gem','messages':[{'role':'user','content':'Hi'}]}"), MODEL, PROVIDER, "req_test"));

        assertThat(upstream.uri()).isEqualTo(URI.create(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"));
        assertThat(upstream.uri().toString()).doesNotContain(KEY);
        assertThat(upstream.headers()).containsExactly(
                new UpstreamRequest.Header("Accept", "application/json"),
                new UpstreamRequest.Header("x-goog-api-key", KEY),
                new UpstreamRequest.Header("x-goog-user-project", "p1"));
        assertThat(Json.parseObject(upstream.body())).isEqualTo(json("{'contents':[{'role':'user','parts':[{'text':'Hi'}]}]}"));
        assertThat(upstream.connectTimeoutMs()).isEqualTo(1234);
    }

    @Test
    void streamingCallAsksForSse() {
        UpstreamRequest upstream = connector.upstreamRequest(new ProviderCall(request("{'model':'gem','messages':[{'role':'user','content':'Hi'}],'stream':true}"), MODEL, PROVIDER, "req_test"));

        assertThat(upstream.uri()).isEqualTo(URI.create(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
        assertThat(upstream.headers().get(0)).isEqualTo(new UpstreamRequest.Header("Accept", "text/event-stream"));
    }

    @Test
    void noKeyConfiguredSendsNoKeyHeader() {
        ProviderConfig keyless = new ProviderConfig("local", ProviderType.GEMINI, URI.create("http://localhost:9000/proxy"),
                null, Map.of(), Timeouts.DEFAULTS);

        UpstreamRequest upstream = connector.upstreamRequest(new ProviderCall(request("{'model':'gem','messages':[{'role':'user','content':'Hi'}]}"), MODEL, keyless, "req_test"));

        assertThat(upstream.uri().toString()).isEqualTo("http://localhost:9000/proxy/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(upstream.headers()).extracting(UpstreamRequest.Header::name).containsExactly("Accept");
    }

    @Test
    void modelNameIsOnePathSegment() {
        assertThat(GeminiConnector.modelSegment("gemini-2.5-flash")).isEqualTo("gemini-2.5-flash");
        assertThat(GeminiConnector.modelSegment("models/gemini-2.5-pro")).isEqualTo("gemini-2.5-pro");
        assertThat(GeminiConnector.modelSegment("a/b:c?d e")).isEqualTo("a%2Fb%3Ac%3Fd%20e");
        assertThat(GeminiConnector.modelSegment("modèle")).isEqualTo("mod%C3%A8le");
    }

    @Test
    void untranslatableRequestIsA400BeforeAnyCall() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connector.upstreamRequest(new ProviderCall(request(
                        "{'model':'gem','messages':[{'role':'user','content':'x'}],'tools':[{'type':'custom','custom':{'name':'c'}}]}"), MODEL, PROVIDER, "req_test")))
                .isInstanceOfSatisfying(dev.switchboard.error.GatewayException.class,
                        e -> assertThat(e.error().param()).isEqualTo("tools[0].type"));
    }

    @Test
    void upstreamErrorReadsGeminisBodyAndRetryAfter() {
        byte[] body = "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}"
                .getBytes(StandardCharsets.UTF_8);

        GatewayError error = connector.upstreamError(PROVIDER, response(429, Map.of("retry-after", "9")), body, body.length);

        assertThat(error.status()).isEqualTo(429);
        assertThat(error.retryAfter()).isEqualTo("9");
        assertThat(error.message()).isEqualTo("Resource has been exhausted");
    }

    @Test
    void aRedirectIsANonRetryable502AndTheKeyNeverReachesTheClient() {
        byte[] html = "<html>Moved</html>".getBytes(StandardCharsets.UTF_8);
        byte[] echo = ("{\"error\":{\"code\":400,\"message\":\"API key " + KEY + " not valid.\",\"status\":\"INVALID_ARGUMENT\","
                + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\"}]}}")
                .getBytes(StandardCharsets.UTF_8);

        GatewayError redirect = connector.upstreamError(PROVIDER, response(301, Map.of()), html, html.length);
        GatewayError rejected = RedactingSink.clean(connector.upstreamError(PROVIDER, response(400, Map.of()), echo,
                echo.length), PROVIDER.secrets());

        assertThat(redirect.status()).isEqualTo(502);
        assertThat(FailureKind.of(redirect.kind()).retryable()).isFalse();
        assertThat(redirect.message()).contains("HTTP 301");
        assertThat(rejected.status()).isEqualTo(401);
        assertThat(rejected.message()).doesNotContain(KEY).contains("API key <redacted> not valid.");
    }

    @Test
    void completionAndStreamTranslatorReportTheConfiguredUpstreamModelWhenGeminiNamesNone() {
        byte[] body = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}],\"responseId\":\"r\"}"
                .getBytes(StandardCharsets.UTF_8);

        var completion = Json.parseObject(connector.completion(new ProviderCall(request("{'model':'gem','messages':[{'role':'user','content':'x'}]}"), MODEL, PROVIDER, "req_test"), body, body.length).json());
        List<String> chunks = StreamHarness.whole(connector.streamTranslator(new ProviderCall(request("{'model':'gem','messages':[{'role':'user','content':'x'}],'stream':true}"), MODEL, PROVIDER, "req_test")),
                ("data: " + new String(body, StandardCharsets.UTF_8) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8)).chunks();

        // The provider's model, as the Anthropic and OpenAI connectors report it; not the public id "gem".
        assertThat(completion.getString("model")).isEqualTo("gemini-2.5-flash");
        assertThat(completion.getString("id")).isEqualTo("chatcmpl-r");
        assertThat(completion.getJsonNumber("created").longValue()).isEqualTo(CREATED);
        assertThat(chunks).hasSize(3).allSatisfy(chunk -> assertThat(chunk).contains("\"model\":\"gemini-2.5-flash\"")
                .contains("\"created\":" + CREATED));
    }

    private static UpstreamResponse response(int status, Map<String, String> headers) {
        return new UpstreamResponse() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public String header(String name) {
                return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
            }
        };
    }
}
