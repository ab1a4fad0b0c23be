package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.chat.ChatFormat;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.CompletionBody;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A whole Anthropic reply decoded into the internal model ({@link MessageDecoder}) and written as
 * the Chat door's {@code chat.completion} ({@code created} fixed, which the door takes from the clock).
 */
class MessageDecoderTest {
    static final long CREATED = 1_767_225_600L;
    static final String FALLBACK_MODEL = "claude-configured";
    static final String PROVIDER = "anthropic-main";

    static CompletionBody translate(String anthropicJson, boolean jsonMode) {
        byte[] bytes = anthropicJson.getBytes(StandardCharsets.UTF_8);
        // A larger buffer than the body, as HttpAttempt hands it over.
        byte[] buffer = java.util.Arrays.copyOf(bytes, bytes.length + 32);
        LlmResponse reply = MessageDecoder.decode(PROVIDER, buffer, bytes.length, FALLBACK_MODEL, jsonMode);
        String json = new String(ChatFormat.of(false).response(reply, "req"), StandardCharsets.UTF_8)
                .replaceFirst("\"created\":\\d+", "\"created\":" + CREATED);
        return new CompletionBody(json.getBytes(StandardCharsets.UTF_8), reply.usage());
    }

    static String text(CompletionBody body) {
        return new String(body.json(), StandardCharsets.UTF_8);
    }

    @Test
    void thinkingTextAndToolUseBecomeOneChatCompletion() {
        CompletionBody body = translate("""
                {"id":"msg_01XYZ","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[
                   {"type":"thinking","thinking":"User wants weather.","signature":"EqQB"},
                   {"type":"redacted_thinking","data":"EmwKAhgB"},
                   {"type":"text","text":"Let me check "},
                   {"type":"text","text":"Paris."},
                   {"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"city":"Paris","days":[1,2]}},
                   {"type":"tool_use","id":"toolu_01B","name":"get_time","input":{}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":412,"cache_creation_input_tokens":100,"cache_read_input_tokens":1800,
                          "cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":0},
                          "output_tokens":96,"service_tier":"standard"}}""", false);

        assertThat(text(body)).isEqualTo("{\"id\":\"msg_01XYZ\",\"object\":\"chat.completion\",\"created\":1767225600,"
                + "\"model\":\"claude-sonnet-4-5-20250929\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Let me check Paris.\",\"refusal\":null,\"reasoning_content\":\"User wants weather.\","
                + "\"tool_calls\":["
                + "{\"id\":\"toolu_01A\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\",\\\"days\\\":[1,2]}\"}},"
                + "{\"id\":\"toolu_01B\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]},"
                + "\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":2312,\"completion_tokens\":96,\"total_tokens\":2408,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":1800},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}");
        assertThat(body.usage()).isEqualTo(new Usage(2312, 96, 1800, 0, 100, 0));
    }

    /** A one-hour cache write costs more than a five-minute one, so the two stay apart (docs/spend.md). */
    @Test
    void cacheWritesAreSplitByDuration() {
        CompletionBody body = translate("""
                {"id":"msg_3","type":"message","role":"assistant","model":"claude-sonnet-4-6",
                 "content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn",
                 "usage":{"input_tokens":20,"cache_creation_input_tokens":700,"cache_read_input_tokens":50,
                          "cache_creation":{"ephemeral_5m_input_tokens":200,"ephemeral_1h_input_tokens":500},
                          "output_tokens":3}}""", false);

        assertThat(body.usage()).isEqualTo(new Usage(770, 3, 50, 0, 200, 500));
        assertThat(body.usage().uncachedPromptTokens()).isEqualTo(20);
    }

    /** Without the cache_creation object (older API versions) every write is a five-minute one. */
    @Test
    void cacheWritesWithoutTheirSplitAreFiveMinuteWrites() {
        CompletionBody body = translate("""
                {"id":"msg_4","type":"message","role":"assistant","model":"claude-sonnet-4-6",
                 "content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn",
                 "usage":{"input_tokens":20,"cache_creation_input_tokens":700,"output_tokens":3}}""", false);

        assertThat(body.usage()).isEqualTo(new Usage(720, 3, 0, 0, 700, 0));
    }

    @Test
    void aToolOnlyReplyHasNullContentAndNoReasoning() {
        CompletionBody body = translate("""
                {"id":"msg_2","type":"message","role":"assistant","model":"claude-haiku-4-5",
                 "content":[{"type":"tool_use","id":"toolu_9","name":"f","input":{"a":"ü"}}],
                 "stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":5}}""", false);

        JsonObject message = Json.parseObject(body.json()).getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        assertThat(message.isNull("content")).isTrue();
        assertThat(message.containsKey("reasoning_content")).isFalse();
        assertThat(message.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function").getString("arguments"))
                .isEqualTo("{\"a\":\"ü\"}");
        assertThat(body.usage()).isEqualTo(new Usage(10, 5, 0, 0));
    }

    @Test
    void aTextOnlyReplyHasNoToolCallsAndReportsTheReplysModel() {
        CompletionBody body = translate("""
                {"id":"msg_3","type":"message","role":"assistant","model":"claude-opus-4-8",
                 "content":[{"type":"text","text":"Four."}],"stop_reason":"end_turn",
                 "usage":{"input_tokens":12,"output_tokens":3,"output_tokens_details":{"thinking_tokens":0}}}""", false);

        assertThat(text(body)).isEqualTo("{\"id\":\"msg_3\",\"object\":\"chat.completion\",\"created\":1767225600,"
                + "\"model\":\"claude-opus-4-8\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Four.\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}");
    }

    @Test
    void inJsonModeTheJsonToolInputIsTheContentAndTheReplyStops() {
        String reply = """
                {"id":"msg_4","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"tool_use","id":"toolu_j","name":"json_response","input":{"name":"Zoë","age":41}}],
                 "stop_reason":"tool_use","usage":{"input_tokens":60,"output_tokens":22}}""";

        JsonObject choice = Json.parseObject(translate(reply, true).json()).getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("{\"name\":\"Zoë\",\"age\":41}");
        assertThat(choice.getJsonObject("message").containsKey("tool_calls")).isFalse();
        assertThat(choice.getString("finish_reason")).isEqualTo("stop");

        // Without JSON mode a client tool of that name is an ordinary tool call.
        JsonObject plain = Json.parseObject(translate(reply, false).json()).getJsonArray("choices").getJsonObject(0);
        assertThat(plain.getString("finish_reason")).isEqualTo("tool_calls");
        assertThat(plain.getJsonObject("message").isNull("content")).isTrue();
    }

    @Test
    void serverToolBlocksAreHiddenAndAMissingModelFallsBack() {
        CompletionBody body = translate("""
                {"id":"msg_5","type":"message","role":"assistant",
                 "content":[{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"x"}},
                   {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},
                   {"type":"text","text":"Found it.","citations":[{"type":"web_search_result_location","url":"https://e.com"}]}],
                 "stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":2}}""", false);

        JsonObject completion = Json.parseObject(body.json());
        assertThat(completion.getString("model")).isEqualTo(FALLBACK_MODEL);
        JsonObject message = completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        assertThat(message.getString("content")).isEqualTo("Found it.");
        assertThat(message.containsKey("tool_calls")).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "end_turn,                      stop",
            "stop_sequence,                 stop",
            "max_tokens,                    length",
            "tool_use,                      tool_calls",
            "refusal,                       content_filter",
            "pause_turn,                    stop",
            "model_context_window_exceeded, length",
            "some_future_reason,            stop",
    })
    void mapsStopReasons(String stopReason, String finishReason) {
        CompletionBody body = translate("""
                {"id":"msg_6","type":"message","role":"assistant","model":"m",
                 "content":[{"type":"text","text":"x"},{"type":"tool_use","id":"toolu_1","name":"f","input":{}}],
                 "stop_reason":"%s","usage":{"input_tokens":1,"output_tokens":1}}""".formatted(stopReason), false);

        assertThat(Json.parseObject(body.json()).getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
                .isEqualTo(finishReason);
    }

    @Test
    void aNullStopReasonIsStop() {
        CompletionBody body = translate("""
                {"id":"msg_7","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,
                 "usage":{"input_tokens":1,"output_tokens":0}}""", false);

        JsonObject choice = Json.parseObject(body.json()).getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getString("finish_reason")).isEqualTo("stop");
        assertThat(choice.getJsonObject("message").isNull("content")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "<html>Bad gateway</html>",
            "{\"type\":\"message\",\"content\":[]}",
            "{\"id\":\"msg_8\",\"content\":[\"not a block\"]}",
            "[]"})
    void aBodyThatIsNotAMessageIsTheProvidersNonRetryable502(String body) {
        GatewayError unreadable = new GatewayError(ErrorKind.UPSTREAM_PROTOCOL, 502, "server_error", "upstream_protocol_error", null,
                "Provider 'anthropic-main' sent a reply that Switchboard could not read.", null);

        assertThatThrownBy(() -> translate(body, false))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error()).isEqualTo(unreadable));
    }
}
