package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.FailureKind;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.RecordingSink;
import dev.switchboard.provider.http.CompletionBody;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.sse.SseParser;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import jakarta.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connector's own job: URL, headers, and handing each body to the right translator. No sockets. */
class AnthropicConnectorTest {
    static final long CREATED = 1_767_225_600L;
    static final ModelConfig MODEL = Fixtures.model("claude-sonnet-4-5", null);

    // The HTTP client and scheduler are only used once a call really starts, which these tests never do.
    final AnthropicConnector connector = new AnthropicConnector(null, null);

    static ProviderConfig provider(String apiKey, Map<String, String> headers) {
        return new ProviderConfig("anthropic-main", ProviderType.ANTHROPIC, URI.create("https://api.anthropic.com"),
                apiKey, headers, Timeouts.DEFAULTS);
    }

    static List<String> headerLines(UpstreamRequest request) {
        return request.headers().stream().map(h -> h.name() + ": " + h.value()).toList();
    }

    @Test
    void postsToV1MessagesWithTheProviderKeyAndVersionAndConfiguredHeaders() {
        ChatRequest request = Fixtures.request("""
                {"model":"claude","messages":[{"role":"user","content":"hi"}],"stream":true}""");

        UpstreamRequest upstream = connector.upstreamRequest(new ProviderCall(request, MODEL, provider("sk-ant-secret", Map.of("anthropic-beta", "context-1m-2025-08-07")), "req_test"));

        assertThat(upstream.uri()).isEqualTo(URI.create("https://api.anthropic.com/v1/messages"));
        assertThat(headerLines(upstream)).containsExactly(
                "Accept: text/event-stream",
                "anthropic-version: 2023-06-01",
                "x-api-key: sk-ant-secret",
                "anthropic-beta: context-1m-2025-08-07");
        assertThat(upstream.connectTimeoutMs()).isEqualTo(Timeouts.DEFAULT_CONNECT_MS);
        assertThat(new String(upstream.body(), StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"claude-sonnet-4-5\","
                + "\"max_tokens\":4096,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],"
                + "\"stream\":true}");
    }

    @Test
    void sendsNoKeyWhenNoneIsConfiguredAndNeverAnAuthorizationHeader() {
        ChatRequest request = Fixtures.request("""
                {"model":"claude","messages":[{"role":"user","content":"hi"}]}""");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Anthropic-Version", "2024-01-01");

        UpstreamRequest upstream = connector.upstreamRequest(new ProviderCall(request, MODEL, provider(null, headers), "req_test"));

        // The configured version replaces the default instead of being sent twice.
        assertThat(headerLines(upstream)).containsExactly("Accept: application/json", "Anthropic-Version: 2024-01-01");
        assertThat(upstream.headers()).noneMatch(h -> h.name().equalsIgnoreCase("authorization"));
    }

    @Test
    void aRequestClaudeCannotTakeFailsTheAttemptWithA400BeforeAnyCall() {
        ChatRequest request = Fixtures.request("""
                {"model":"claude","messages":[{"role":"user","content":"hi"}],"n":3}""");
        RecordingSink sink = new RecordingSink();

        Attempt attempt = connector.start(new ProviderCall(request, MODEL, provider("k", Map.of()), "req_test"), sink);

        assertThat(attempt).isSameAs(Attempt.NONE);
        assertThat(sink.failures()).extracting(Failure::error).singleElement().satisfies(error -> {
            assertThat(error.status()).isEqualTo(400);
            assertThat(error.param()).isEqualTo("n");
        });
        assertThatThrownBy(() -> connector.upstreamRequest(new ProviderCall(request, MODEL, provider("k", Map.of()), "req_test")))
                .isInstanceOf(GatewayException.class);
    }

    @Test
    void readsUpstreamErrorsWithRetryAfter() {
        byte[] body = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}"
                .getBytes(StandardCharsets.UTF_8);

        GatewayError error = connector.upstreamError(provider("k", Map.of()), response(429, "12"), body, body.length);

        assertThat(error).isEqualTo(new GatewayError(ErrorKind.UPSTREAM_RATE_LIMITED, 429, "rate_limit_error", "rate_limit_exceeded", null, "Slow down", "12"));
    }

    @Test
    void aRedirectIsANonRetryable502AndARejectedKeyIsTheAccountsRefusal() {
        byte[] html = "<html>Moved to https://api.anthropic.com</html>".getBytes(StandardCharsets.UTF_8);
        byte[] echo = "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"bad key sk-ant-secret\"}}"
                .getBytes(StandardCharsets.UTF_8);
        ProviderConfig provider = provider("sk-ant-secret", Map.of());

        GatewayError redirect = connector.upstreamError(provider, response(302, null), html, html.length);
        GatewayError rejected = connector.upstreamError(provider, response(401, null), echo, echo.length);

        assertThat(redirect.status()).isEqualTo(502);
        assertThat(FailureKind.of(redirect.kind()).retryable()).isFalse();
        assertThat(redirect.message()).contains("HTTP 302");
        assertThat(rejected.status()).isEqualTo(401);
        assertThat(rejected.kind()).isEqualTo(ErrorKind.UPSTREAM_AUTHENTICATION);
    }

    @Test
    void translatesCompletionsWithTheRequestsJsonMode() {
        ChatRequest request = Fixtures.request("""
                {"model":"claude","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}""");
        byte[] body = """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"tool_use","id":"toolu_1","name":"json_response","input":{"ok":true}}],
                 "stop_reason":"tool_use","usage":{"input_tokens":5,"output_tokens":7}}""".getBytes(StandardCharsets.UTF_8);

        CompletionBody completion = connector.completion(new ProviderCall(request, MODEL, provider("k", Map.of()), "req_test"), body, body.length);

        JsonObject json = Json.parseObject(completion.json());
        assertThat(json.getJsonNumber("created").longValue()).isGreaterThan(CREATED);
        JsonObject choice = json.getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("{\"ok\":true}");
        assertThat(choice.getString("finish_reason")).isEqualTo("stop");
        assertThat(completion.usage()).isEqualTo(new Usage(5, 7));
    }

    @Test
    void streamTranslatorsFollowIncludeUsageAndNameTheCallsProvider() {
        ChatRequest request = Fixtures.request("""
                {"model":"claude","messages":[{"role":"user","content":"hi"}],"stream":true,
                 "stream_options":{"include_usage":true}}""");
        StreamTranslator translator = connector.streamTranslator(new ProviderCall(request, MODEL, provider("k", Map.of()), "req_test"));
        List<String> chunks = new ArrayList<>();
        SseParser parser = new SseParser(event -> translator.onEvent(event,
                chunk -> chunks.add(AnthropicChatStreamTest.created(new String(chunk.data(), StandardCharsets.UTF_8)))));
        byte[] sse = Fixtures.bytes("text.sse");
        parser.feed(sse, 0, sse.length);
        translator.finish(chunk -> chunks.add(AnthropicChatStreamTest.created(new String(chunk.data(), StandardCharsets.UTF_8))));

        assertThat(chunks).containsExactlyElementsOf(Fixtures.text("text.expected.jsonl").lines().toList());

        StreamTranslator failing = connector.streamTranslator(new ProviderCall(request, MODEL, provider("k", Map.of()), "req_test"));
        byte[] error = Fixtures.bytes("error-midstream.sse");
        assertThatThrownBy(() -> new SseParser(event -> failing.onEvent(event, chunk -> { }))
                .feed(error, 0, error.length))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.error().message()).startsWith("Provider 'anthropic-main' "));
    }

    static UpstreamResponse response(int status, String retryAfter) {
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
}
