package dev.switchboard.ingress.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Message;
import dev.switchboard.llm.ToolChoice;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Messages door: its validation, the relayed bytes, its internal model and its error shape. */
class MessagesDoorTest {
    static MessagesRequest parse(String body, boolean countTokens) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return MessagesRequest.parse(bytes, bytes.length, countTokens, "beta-1");
    }

    @Test
    void theRelayedBodyIsTheClientsButForTheModel() {
        String body = "{ \"model\" : \"smart\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"system\":[{\"type\":\"text\",\"text\":\"S\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"x_new\":1.50}";
        MessagesRequest request = parse(body, false);

        assertThat(new String(request.bodyWithModel("claude-x"), StandardCharsets.UTF_8))
                .isEqualTo(body.replace("\"smart\"", "\"claude-x\""));
        assertThat(request.forwardedHeader("Anthropic-Beta")).isEqualTo("beta-1");
        assertThat(request.stream()).isFalse();
    }

    @Test
    void countTokensNeedsNoMaxTokensAndNeverStreams() {
        MessagesRequest request = parse("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", true);
        assertThat(request.countTokens()).isTrue();
        assertThat(request.stream()).isFalse();
        GatewayException missing = catchThrowableOfType(GatewayException.class,
                () -> parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", false));
        assertThat(missing.error().param()).isEqualTo("max_tokens");
    }

    @Test
    void theInternalModelKeepsCacheControlSignaturesAndToolResults() {
        LlmRequest request = parse("""
                {"model":"m","max_tokens":99,"system":[{"type":"text","text":"S","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":"Q"},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"T","signature":"sig"},
                    {"type":"tool_use","id":"toolu_1","name":"f","input":{"a":1}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"R","is_error":true}]}],
                 "tools":[{"name":"f","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}}],
                 "tool_choice":{"type":"any","disable_parallel_tool_use":true},
                 "thinking":{"type":"enabled","budget_tokens":4096},"metadata":{"user_id":"u"}}""", false).llmRequest();

        assertThat(request.system().get(0).cacheControl()).isNotNull();
        assertThat(request.tools().get(0).cacheControl()).isNotNull();
        Message assistant = request.messages().get(1);
        assertThat(assistant.content().get(0)).isEqualTo(new Content.Reasoning("T", "sig", "anthropic",
                "messages[1].content[0]"));
        assertThat(((Content.FunctionCall) assistant.content().get(1)).arguments()).isEqualTo("{\"a\":1}");
        Content.ToolResult result = (Content.ToolResult) request.messages().get(2).content().get(0);
        assertThat(result.error()).isTrue();
        assertThat(result.text()).isEqualTo("R");
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.REQUIRED, null, false));
        assertThat(request.thinkingBudget()).isEqualTo(4096);
        assertThat(request.effort()).isEqualTo("high");
        assertThat(request.maxOutputTokens()).isEqualTo(99);
        assertThat(request.user()).isEqualTo("u");
    }

    @Test
    void serverToolsAreRefusedForTranslationNamingTheTool() {
        GatewayException refused = catchThrowableOfType(GatewayException.class, () -> parse("""
                {"model":"m","max_tokens":9,"messages":[{"role":"user","content":"Q"}],
                 "tools":[{"type":"web_search_20250305","name":"web_search"}]}""", false).llmRequest());
        assertThat(refused.error().param()).isEqualTo("tools[0].type");
        assertThat(refused.error().code()).isEqualTo("unsupported_parameter");
    }

    @Test
    void errorsHaveAnthropicsShapeAndStatuses() {
        MessagesFormat format = MessagesFormat.INSTANCE;
        GatewayError overloaded = ErrorKind.UPSTREAM_OVERLOADED.error("Provider 'p' failed (HTTP 529).");
        assertThat(format.errorStatus(overloaded)).isEqualTo(529);
        JsonObject body = Json.parseObject(format.errorBody(overloaded, "req-1"));
        assertThat(body.getString("type")).isEqualTo("error");
        assertThat(body.getJsonObject("error").getString("type")).isEqualTo("overloaded_error");
        assertThat(body.getString("request_id")).isEqualTo("req-1");
        assertThat(format.errorEvent(overloaded, "req-1", 7).type()).isEqualTo("error");

        assertThat(format.errorHeaders(ErrorKind.TOKENS_PER_MINUTE.error("slow down"))).isEmpty();
        assertThat(format.errorHeaders(ErrorKind.UPSTREAM_RATE_LIMITED.error("slow down"))).isEmpty();
        GatewayError budget = new GatewayError(ErrorKind.TOO_MANY_CONCURRENT, 429, "x", "budget_exceeded", null,
                "Budget spent.", null);
        assertThat(format.errorHeaders(budget)).isEmpty();
        GatewayError spent = new GatewayError(ErrorKind.INTERNAL, 429, "x", "budget_exceeded", null, "Budget spent.", null);
        assertThat(format.errorHeaders(spent)).containsExactly("x-should-retry", "false");
        assertThat(Json.parseObject(format.errorBody(ErrorKind.INVALID_API_KEY.error("no"), null))
                .getJsonObject("error").getString("type")).isEqualTo("authentication_error");
    }
}
