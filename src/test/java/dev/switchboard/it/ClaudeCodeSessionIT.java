package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tool-using Claude Code session through Switchboard, as Claude Code sends it with
 * {@code ANTHROPIC_BASE_URL} and a Switchboard token (docs/clients.md): {@code /v1/messages?beta=true},
 * {@code x-api-key}, {@code anthropic-beta}, a system prompt whose blocks carry
 * {@code cache_control}, tools, adaptive thinking, streaming, and a second turn answering the
 * first turn's {@code tool_use} with a {@code tool_result}. Anthropic must get each body byte for
 * byte as Claude Code wrote it, but for the model, so the prompt cache keeps working; and Claude
 * Code must get Anthropic's stream byte for byte.
 */
@ExtendWith(ArquillianExtension.class)
class ClaudeCodeSessionIT {
    static final String TOKEN = "sb-it-claude-code";
    static final String PROVIDER_KEY = "sk-ant-claude-code-secret";
    static final String BETA = "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14";
    static final String SYSTEM = "\"system\":[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cc_version=2.1.0.abc; cc_entrypoint=cli\"},"
            + "{\"type\":\"text\",\"text\":\"You are Claude Code, Anthropic's official CLI for Claude.\","
            + "\"cache_control\":{\"type\":\"ephemeral\"}},{\"type\":\"text\",\"text\":\"Working directory: /repo\\n"
            + "Today\\u2019s date: 2026-12-06\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}]";
    static final String TOOLS = "\"tools\":[{\"name\":\"Bash\",\"description\":\"Runs a command\",\"input_schema\":"
            + "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"],"
            + "\"additionalProperties\":false,\"$schema\":\"http://json-schema.org/draft-07/schema#\"}},"
            + "{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}},"
            + "\"cache_control\":{\"type\":\"ephemeral\"}}]";
    static final String HEAD = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":32000,"
            + "\"metadata\":{\"user_id\":\"{\\\"device_id\\\":\\\"d1\\\",\\\"account_uuid\\\":\\\"\\\",\\\"session_id\\\":\\\"s1\\\"}\"},"
            + SYSTEM + "," + TOOLS + ",\"thinking\":{\"type\":\"adaptive\"},\"stream\":true,";
    static final String TURN_1 = HEAD + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"What is the weather in Paris and Tokyo?\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}";
    static final String TURN_2 = HEAD + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"What is the weather in Paris and Tokyo?\"}]},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"Two cities.\",\"signature\":\"EqQBCkYIBxgCKkB\"},"
            + "{\"type\":\"text\",\"text\":\"I'll check both.\"},"
            + "{\"type\":\"tool_use\",\"id\":\"toolu_01Weather\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},"
            + "{\"type\":\"tool_use\",\"id\":\"toolu_02Weather\",\"name\":\"get_weather\",\"input\":{\"city\":\"Tokyo\"}}]},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01Weather\",\"content\":\"18°C\"},"
            + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_02Weather\",\"content\":[{\"type\":\"text\",\"text\":\"22°C\"}],"
            + "\"is_error\":false,\"cache_control\":{\"type\":\"ephemeral\"}}]}]}";

    static MockUpstream upstream;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        return GatewayDeployment.withConfig("claude-code", """
                {
                  "providers": {"anthropic": {"type": "anthropic", "baseUrl": "%s", "apiKey": "%s", "retry": {"attempts": 1}}},
                  "models": {"claude-sonnet-4-5": {"provider": "anthropic", "upstreamModel": "claude-sonnet-4-5-20250929"}},
                  "tokens": [{"name": "claude-code", "token": "%s"}]
                }
                """.formatted(upstream.url(), PROVIDER_KEY, TOKEN));
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    @Test
    void aToolUsingSessionReachesAnthropicByteForByteAndComesBackTheSame() throws Exception {
        String firstStream = Fixtures.text("anthropic/parallel-tools.sse");
        String secondStream = Fixtures.text("anthropic/text.sse");
        upstream.enqueue(MockUpstream.Reply.sse(Fixtures.events("anthropic/parallel-tools.sse"), 0));
        upstream.enqueue(MockUpstream.Reply.sse(Fixtures.events("anthropic/text.sse"), 0));

        HttpResponse<String> first = send(TURN_1);
        HttpResponse<String> second = send(TURN_2);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/event-stream"));
        assertThat(first.body()).isEqualTo(firstStream.replace("\r\n", "\n"));
        assertThat(second.body()).isEqualTo(secondStream.replace("\r\n", "\n"));

        for (int turn = 1; turn <= 2; turn++) {
            MockUpstream.Request request = upstream.awaitExchange(turn, 5000).request();
            String sent = turn == 1 ? TURN_1 : TURN_2;
            assertThat(request.target()).isEqualTo("/v1/messages");
            assertThat(request.body()).as("turn %d, byte for byte but the model", turn)
                    .isEqualTo(sent.replace("\"model\":\"claude-sonnet-4-5\"", "\"model\":\"claude-sonnet-4-5-20250929\""));
            assertThat(request.header("x-api-key")).isEqualTo(PROVIDER_KEY);
            assertThat(request.header("anthropic-beta")).isEqualTo(BETA);
            assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(request.headers().values()).noneMatch(value -> value.contains(TOKEN));
        }
    }

    private HttpResponse<String> send(String body) throws Exception {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(root + "v1/messages?beta=true"))
                .header("Content-Type", "application/json")
                .header("x-api-key", TOKEN)
                .header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", BETA)
                .header("User-Agent", "claude-cli/2.1.0 (external, cli)")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
