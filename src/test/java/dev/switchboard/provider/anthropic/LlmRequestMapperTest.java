package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.ingress.responses.ResponsesRequest;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Message;
import dev.switchboard.llm.ResponseFormat;
import dev.switchboard.llm.Tool;
import dev.switchboard.llm.ToolChoice;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic mapper from the internal model keeps what a Chat detour would lose: a Responses
 * client's signed and redacted reasoning, and {@code cache_control}. The Chat table is
 * {@link ChatRequestCasesTest}'s.
 */
class LlmRequestMapperTest {
    static final ModelConfig SONNET_45 = Fixtures.model("claude-sonnet-4-5", null);

    static LlmRequest responses(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ResponsesRequest.parse(bytes, bytes.length).llmRequest();
    }

    /** A Codex-style second turn: the reasoning item Switchboard gave out, the call and its output. */
    static final String TOOL_LOOP = """
            {"model":"claude","stream":true,"reasoning":{"effort":"high"},"include":["reasoning.encrypted_content"],
             "store":false,"input":[
              {"role":"user","content":"Weather in Paris?"},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Need the tool."}],
               "encrypted_content":"sb1:anthropic:%s"},
              {"type":"function_call","call_id":"toolu_01","name":"weather","arguments":"{\\\"city\\\":\\\"Paris\\\"}"},
              {"type":"function_call_output","call_id":"toolu_01","output":"18 C"}],
             "tools":[{"type":"function","name":"weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]}
            """;

    @Test
    void aResponsesClientsSignedThinkingGoesBackToClaudeAndThinkingStaysOnInTheToolLoop() {
        JsonObject body = LlmRequestMapper.map(responses(TOOL_LOOP.formatted("EqQBsig")), SONNET_45);

        JsonArray messages = body.getJsonArray("messages");
        assertThat(messages).hasSize(3);
        JsonArray assistant = messages.getJsonObject(1).getJsonArray("content");
        assertThat(assistant.getJsonObject(0)).isEqualTo(Json.parseObject(
                "{\"type\":\"thinking\",\"thinking\":\"Need the tool.\",\"signature\":\"EqQBsig\"}"));
        assertThat(assistant.getJsonObject(1).getString("type")).isEqualTo("tool_use");
        assertThat(assistant.getJsonObject(1).getString("id")).isEqualTo("toolu_01");
        assertThat(messages.getJsonObject(2).getJsonArray("content").getJsonObject(0)).isEqualTo(Json.parseObject(
                "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01\",\"content\":\"18 C\"}"));
        assertThat(body.getJsonObject("thinking")).isEqualTo(Json.parseObject(
                "{\"type\":\"enabled\",\"budget_tokens\":4096}"));
        assertThat(body.getJsonNumber("max_tokens").longValue()).isGreaterThan(4096);
    }

    @Test
    void redactedThinkingGoesBackAsRedactedThinking() {
        JsonObject body = LlmRequestMapper.map(responses(TOOL_LOOP.formatted(Content.Reasoning.REDACTED + "EmwKAhgB")),
                SONNET_45);

        assertThat(body.getJsonArray("messages").getJsonObject(1).getJsonArray("content").getJsonObject(0))
                .isEqualTo(Json.parseObject("{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgB\"}"));
        assertThat(body).containsKey("thinking");
    }

    @Test
    void reasoningClaudeCannotCheckIsLeftOutAndThinkingIsThenOffInTheToolLoop() {
        // OpenAI's own encrypted content (no sb1 prefix) means nothing to Claude.
        String body = TOOL_LOOP.formatted("x").replace("sb1:anthropic:x", "gAAAAopenai");

        JsonObject mapped = LlmRequestMapper.map(responses(body), SONNET_45);

        JsonArray assistant = mapped.getJsonArray("messages").getJsonObject(1).getJsonArray("content");
        assertThat(assistant).hasSize(1);
        assertThat(assistant.getJsonObject(0).getString("type")).isEqualTo("tool_use");
        assertThat(mapped).doesNotContainKey("thinking");
    }

    @Test
    void cacheControlIsKeptOnSystemBlocksToolsAndToolResults() {
        JsonObject ephemeral = Json.parseObject("{\"type\":\"ephemeral\"}");
        LlmRequest request = new LlmRequest("claude", false,
                List.of(new Content.Text("You are Claude Code.", ephemeral, "system[0]")),
                List.of(new Message(Message.Role.USER, List.of(new Content.Text("hi", null, "m[0]")), "m[0]"),
                        new Message(Message.Role.ASSISTANT, List.of(new Content.FunctionCall("toolu_1", "Read", "{}", "m[1]")), "m[1]"),
                        new Message(Message.Role.USER, List.of(new Content.ToolResult("toolu_1",
                                List.of(new Content.Text("file", ephemeral, "m[2].c[0]")), true, "m[2]")), "m[2]")),
                List.of(new Tool("Read", "Reads a file", null, ephemeral, "tools[0]")), ToolChoice.DEFAULT,
                ResponseFormat.TEXT, null, null, 1000L, null, null, List.of(), null);

        JsonObject body = LlmRequestMapper.map(request, SONNET_45);

        assertThat(body.getJsonArray("system").getJsonObject(0).getJsonObject("cache_control")).isEqualTo(ephemeral);
        assertThat(body.getJsonArray("tools").getJsonObject(0).getJsonObject("cache_control")).isEqualTo(ephemeral);
        JsonObject result = body.getJsonArray("messages").getJsonObject(2).getJsonArray("content").getJsonObject(0);
        assertThat(result.getJsonArray("content").getJsonObject(0).getJsonObject("cache_control")).isEqualTo(ephemeral);
        assertThat(result.getBoolean("is_error")).isTrue();
        assertThat(body.getInt("max_tokens")).isEqualTo(1000);
    }
}
