package dev.switchboard.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.ingress.messages.MessagesRequest;
import dev.switchboard.json.Json;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an attempt's span learns from the reply (id, model, finish reasons), and the opt-in content
 * event: off by default, in the conventions' message form when on, bounded, never a credential.
 */
class ResponseTraceTest {
    static final GatewayConfig CONFIG = ConfigParser.parse(("{"
            + "'providers':{'local':{'type':'openai','baseUrl':'http://127.0.0.1:8000/v1','apiKey':'sk-local-key'}},"
            + "'models':{'llama':{'provider':'local','upstreamModel':'llama-3'}},"
            + "'tokens':[{'name':'t','token':'test-token-x'}]}").replace('\'', '"'), Map.of(), "test");
    static final String COMPLETION = "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion\",\"model\":\"llama-3-0426\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Four.\"},\"finish_reason\":\"stop\"},"
            + "{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":2}\"}}]},"
            + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3}}";

    static ChatRequest chat(String messages, boolean stream) {
        byte[] body = ("{\"model\":\"llama\",\"stream\":" + stream + ",\"messages\":" + messages + "}")
                .getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(body, body.length);
    }

    static SpanData attempt(InMemoryTracing traces, ClientRequest request, java.util.function.Consumer<AttemptTrace> reply) {
        RequestTrace trace = traces.request(Map.of());
        trace.parsed(request);
        AttemptTrace attempt = trace.attempt(request, CONFIG.models().get("llama"), CONFIG.providers().get("local"), 1);
        reply.accept(attempt);
        trace.end(200);
        return traces.spans().get(0);
    }

    static SseEvent chunk(String json) {
        return SseEvent.of(json.getBytes(StandardCharsets.UTF_8));
    }

    static String chatChunk(String delta, String finish) {
        return "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"model\":\"llama-3-0426\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    @Test
    void aWholeReplyGivesTheResponseIdModelAndOneFinishReasonPerChoice() {
        SpanData span = attempt(new InMemoryTracing(), chat("[{\"role\":\"user\",\"content\":\"2+2?\"}]", false), a -> {
            a.completion(COMPLETION.getBytes(StandardCharsets.UTF_8));
            a.succeeded(new Usage(12, 3));
        });
        assertThat(span.getAttributes().get(GenAi.RESPONSE_ID)).isEqualTo("chatcmpl-9");
        assertThat(span.getAttributes().get(GenAi.RESPONSE_MODEL)).isEqualTo("llama-3-0426");
        assertThat(span.getAttributes().get(GenAi.FINISH_REASONS)).containsExactly("stop", "tool_calls");
        assertThat(span.getEvents()).as("content capture is off by default").isEmpty();
    }

    @Test
    void aStreamGivesThemFromItsFirstAndLastChunks() {
        SpanData span = attempt(new InMemoryTracing(), chat("[{\"role\":\"user\",\"content\":\"2+2?\"}]", true), a -> {
            a.chunk(chunk(chatChunk("{\"role\":\"assistant\",\"content\":\"\"}", null)));
            a.chunk(chunk(chatChunk("{\"content\":\"Fo\"}", null)));
            a.chunk(chunk(chatChunk("{\"content\":\"ur.\"}", null)));
            a.chunk(chunk(chatChunk("{}", "length")));
            a.chunk(SseEvent.of("[DONE]".getBytes(StandardCharsets.US_ASCII)));
            a.succeeded(new Usage(12, 3));
        });
        assertThat(span.getAttributes().get(GenAi.RESPONSE_ID)).isEqualTo("chatcmpl-s");
        assertThat(span.getAttributes().get(GenAi.RESPONSE_MODEL)).isEqualTo("llama-3-0426");
        assertThat(span.getAttributes().get(GenAi.FINISH_REASONS)).containsExactly("length");
        assertThat(span.getEvents()).isEmpty();
    }

    @Test
    void aMessagesStreamGivesThemFromMessageStartAndMessageDelta() {
        byte[] body = "{\"model\":\"llama\",\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        SpanData span = attempt(new InMemoryTracing(), MessagesRequest.parse(body, body.length, false, null), a -> {
            a.chunk(new SseEvent("message_start", ("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                    + "\"model\":\"claude-x\",\"content\":[]}}").getBytes(StandardCharsets.UTF_8)));
            a.chunk(new SseEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"
                    .getBytes(StandardCharsets.UTF_8)));
            a.chunk(new SseEvent("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}"
                    .getBytes(StandardCharsets.UTF_8)));
            a.succeeded(new Usage(3, 1));
        });
        assertThat(span.getAttributes().get(GenAi.RESPONSE_ID)).isEqualTo("msg_1");
        assertThat(span.getAttributes().get(GenAi.RESPONSE_MODEL)).isEqualTo("claude-x");
        assertThat(span.getAttributes().get(GenAi.FINISH_REASONS)).containsExactly("end_turn");
    }

    @Test
    void withCaptureOnTheAttemptCarriesInputAndOutputMessagesInTheConventionsForm() {
        String messages = "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]";
        SpanData span = attempt(new InMemoryTracing(true), chat(messages, false), a -> {
            a.completion(COMPLETION.getBytes(StandardCharsets.UTF_8));
            a.succeeded(new Usage(12, 3));
        });
        EventData event = span.getEvents().get(0);
        assertThat(event.getName()).isEqualTo("gen_ai.client.inference.operation.details");
        JsonArray input = Json.parseObject("{\"m\":" + event.getAttributes().get(GenAi.INPUT_MESSAGES) + "}").getJsonArray("m");
        assertThat(input.getJsonObject(0).getString("role")).isEqualTo("system");
        assertThat(input.getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("content")).isEqualTo("Be brief.");
        JsonArray userParts = input.getJsonObject(1).getJsonArray("parts");
        assertThat(userParts.getJsonObject(0).getString("type")).isEqualTo("text");
        assertThat(userParts.getJsonObject(0).getString("content")).isEqualTo("What is this?");
        assertThat(userParts.getJsonObject(1).toString()).as("an image keeps its kind only")
                .isEqualTo("{\"type\":\"image_url\"}");

        JsonArray output = Json.parseObject("{\"m\":" + event.getAttributes().get(GenAi.OUTPUT_MESSAGES) + "}").getJsonArray("m");
        JsonObject first = output.getJsonObject(0);
        assertThat(first.getString("role")).isEqualTo("assistant");
        assertThat(first.getString("finish_reason")).isEqualTo("stop");
        assertThat(first.getJsonArray("parts").getJsonObject(0).getString("content")).isEqualTo("Four.");
        JsonObject call = output.getJsonObject(1).getJsonArray("parts").getJsonObject(0);
        assertThat(call.getString("type")).isEqualTo("tool_call");
        assertThat(call.getString("name")).isEqualTo("add");
        assertThat(call.getString("arguments")).isEqualTo("{\"a\":2}");
        assertThat(event.getAttributes().asMap().values()).allSatisfy(value -> assertThat(String.valueOf(value))
                .doesNotContain("sk-local-key").doesNotContain("test-token-x"));
    }

    @Test
    void capturedContentIsBoundedAndAStreamsTextIsGathered() {
        String longPrompt = "x".repeat(MessageContent.LIMIT_CHARS + 5000);
        String many = "[{\"role\":\"user\",\"content\":\"" + longPrompt + "\"},{\"role\":\"user\",\"content\":\"later\"}]";
        SpanData span = attempt(new InMemoryTracing(true), chat(many, true), a -> {
            a.chunk(chunk(chatChunk("{\"role\":\"assistant\",\"content\":\"\"}", null)));
            for (int i = 0; i < 2000; i++) {
                a.chunk(chunk(chatChunk("{\"content\":\"0123456789\"}", null)));
            }
            a.chunk(chunk(chatChunk("{}", "stop")));
            a.succeeded(new Usage(12, 3));
        });
        EventData event = span.getEvents().get(0);
        String input = event.getAttributes().get(GenAi.INPUT_MESSAGES);
        assertThat(input.length()).isLessThan(MessageContent.LIMIT_CHARS + 200);
        assertThat(input).doesNotContain("later");
        JsonObject output = Json.parseObject("{\"m\":" + event.getAttributes().get(GenAi.OUTPUT_MESSAGES) + "}")
                .getJsonArray("m").getJsonObject(0);
        assertThat(output.getString("finish_reason")).isEqualTo("stop");
        String text = output.getJsonArray("parts").getJsonObject(0).getString("content");
        assertThat(text).hasSize(MessageContent.LIMIT_CHARS).startsWith("0123456789");
    }

    @Test
    void aFailedAttemptWithCaptureOnStillRecordsItsInput() {
        SpanData span = attempt(new InMemoryTracing(true), chat("[{\"role\":\"user\",\"content\":\"2+2?\"}]", false),
                a -> a.failed("server_error"));
        List<EventData> events = span.getEvents();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getAttributes().get(GenAi.INPUT_MESSAGES)).contains("2+2?");
        assertThat(events.get(0).getAttributes().get(GenAi.OUTPUT_MESSAGES)).isNull();
        assertThat(span.getAttributes().get(GenAi.RESPONSE_MODEL)).isNull();
    }
}
