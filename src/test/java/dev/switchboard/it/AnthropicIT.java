package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.switchboard.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Anthropic connector through the deployed WAR: the OpenAI Java SDK on one side, a mock
 * speaking Anthropic's Messages API on the other, and a check of exactly what reached it.
 */
@ExtendWith(ArquillianExtension.class)
class AnthropicIT {
    static final String TOKEN = "sb-it-anthropic";
    static final String PROVIDER_KEY = "sk-ant-it-secret";
    /** Between two events of a streamed reply: long enough that a relay that buffers shows. */
    static final long GAP_MILLIS = 300;
    static MockUpstream upstream;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        return GatewayDeployment.withConfig("anthropic", """
                {
                  "providers": {
                    "claude": {"type": "anthropic", "baseUrl": "%s", "apiKey": "%s",
                               "headers": {"anthropic-beta": "interleaved-thinking-2025-05-14"},
                               "retry": {"attempts": 1}}
                  },
                  "models": {"claude-sonnet-4-6": {"provider": "claude", "maxOutputTokens": 8000}},
                  "aliases": {"balanced": ["claude-sonnet-4-6"]},
                  "tokens": [{"name": "it", "token": "%s"}]
                }
                """.formatted(upstream.url(), PROVIDER_KEY, TOKEN));
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(base.toString() + "v1").apiKey(TOKEN)
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    private static String message(String content, String stopReason) {
        return "{\"id\":\"msg_01IT\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\","
                + "\"content\":" + content + ",\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":5,\"cache_read_input_tokens\":100,"
                + "\"output_tokens\":12}}";
    }

    private static FunctionDefinition weatherTool() {
        return FunctionDefinition.builder().name("get_weather").description("Current weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
    }

    @Test
    void nonStreamingReplyIsTranslatedAndTheUpstreamGetsAnExactMessagesRequest() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, message("[{\"type\":\"text\",\"text\":\"Paris.\"}]", "end_turn")));

        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("balanced")
                .addSystemMessage("Answer tersely.")
                .addUserMessage("Capital of France?")
                .temperature(0.3)
                .build());

        assertThat(completion.model()).isEqualTo("claude-sonnet-4-6");
        assertThat(completion.choices().get(0).message().content()).contains("Paris.");
        assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("stop");
        var usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(125);
        assertThat(usage.completionTokens()).isEqualTo(12);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(100L);

        MockUpstream.Request received = upstream.awaitExchange(1, 5000).request();
        assertThat(received.target()).isEqualTo("/v1/messages");
        assertThat(received.header("x-api-key")).isEqualTo(PROVIDER_KEY);
        assertThat(received.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(received.header("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14");
        assertThat(received.header("authorization")).isNull();
        assertThat(Json.parseObject(received.body())).isEqualTo(Json.parseObject("""
                {"model":"claude-sonnet-4-6","max_tokens":8000,
                 "system":[{"type":"text","text":"Answer tersely."}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"Capital of France?"}]}],
                 "temperature":0.3}
                """));
    }

    @Test
    void streamedReplyArrivesChunkByChunkWithUsageWhenAsked() {
        List<String> events = Fixtures.events("anthropic/cache-usage.sse");
        int textEvent = Fixtures.firstIndexOf(events, "text_delta");
        upstream.enqueue(MockUpstream.Reply.sse(events, GAP_MILLIS));

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        long end;
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("balanced").addUserMessage("Hi")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            Iterator<ChatCompletionChunk> iterator = stream.stream().iterator();
            while (iterator.hasNext()) {
                chunks.add(iterator.next());
                arrivals.add(System.nanoTime());
            }
            end = System.nanoTime();
        }

        // After the text event the mock sleeps a gap before each of the remaining events, and the
        // stream ends at the last one (message_stop): (events - textEvent - 1) gaps. A relay that
        // held the chunks back would deliver the text about when the stream ends; one gap of slack
        // covers scheduling.
        int firstText = firstContentChunk(chunks);
        long leadMillis = (end - arrivals.get(firstText)) / 1_000_000;
        assertThat(leadMillis).as("ms between the first text chunk and the end of the stream")
                .isGreaterThanOrEqualTo(GAP_MILLIS * (events.size() - textEvent - 2));
        assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
        assertThat(text).isNotEmpty();
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens().orElseThrow())
                .isPositive();
        assertThat(chunks.stream().map(ChatCompletionChunk::id).distinct()).hasSize(1);
        JsonObject sent = Json.parseObject(upstream.exchanges().get(0).request().body());
        assertThat(sent.getBoolean("stream")).isTrue();
        assertThat(upstream.exchanges().get(0).request().header("accept")).isEqualTo("text/event-stream");
    }

    private static int firstContentChunk(List<ChatCompletionChunk> chunks) {
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).choices().stream().anyMatch(c -> !c.delta().content().orElse("").isEmpty())) {
                return i;
            }
        }
        throw new AssertionError("no chunk carried content");
    }

    @Test
    void aFullToolRoundTripWorks() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, message(
                "[{\"type\":\"text\",\"text\":\"Let me check.\"},"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]",
                "tool_use")));

        ChatCompletionCreateParams.Builder ask = ChatCompletionCreateParams.builder().model("balanced")
                .addUserMessage("Weather in Paris?").addFunctionTool(weatherTool());
        ChatCompletion first = client().chat().completions().create(ask.build());

        assertThat(first.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
        ChatCompletionMessageFunctionToolCall call = first.choices().get(0).message().toolCalls().orElseThrow()
                .get(0).asFunction();
        assertThat(call.id()).isEqualTo("toolu_01A");
        assertThat(Json.parseObject(call.function().arguments()).getString("city")).isEqualTo("Paris");

        upstream.enqueue(MockUpstream.Reply.json(200, message("[{\"type\":\"text\",\"text\":\"18C and cloudy.\"}]", "end_turn")));
        ChatCompletion second = client().chat().completions().create(ask
                .addMessage(first.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18C cloudy").build())
                .build());

        assertThat(second.choices().get(0).message().content()).contains("18C and cloudy.");
        JsonObject sent = Json.parseObject(upstream.awaitExchange(2, 5000).request().body());
        assertThat(sent.getJsonArray("tools").getJsonObject(0).getString("name")).isEqualTo("get_weather");
        JsonArray messages = sent.getJsonArray("messages");
        assertThat(messages).hasSize(3);
        JsonObject toolUse = messages.getJsonObject(1).getJsonArray("content").getJsonObject(1);
        assertThat(toolUse.getString("type")).isEqualTo("tool_use");
        assertThat(toolUse.getJsonObject("input").getString("city")).isEqualTo("Paris");
        JsonObject toolResult = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
        assertThat(toolResult.getString("type")).isEqualTo("tool_result");
        assertThat(toolResult.getString("tool_use_id")).isEqualTo("toolu_01A");
    }

    @Test
    void streamedParallelToolCallsGetTheirOwnIndexes() {
        upstream.enqueue(MockUpstream.Reply.sse(Fixtures.events("anthropic/parallel-tools.sse"), 0));

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("balanced").addUserMessage("Weather and time?")
                        .addFunctionTool(weatherTool()).build())) {
            stream.stream().forEach(chunks::add);
        }
        var starts = chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(c -> c.delta().toolCalls().orElse(List.of()).stream())
                .filter(t -> t.id().isPresent()).toList();
        // The recording holds three tool_use blocks after a text block: Anthropic indexes 1-3, ours 0-2.
        assertThat(starts).extracting(t -> t.index()).containsExactly(0L, 1L, 2L);
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason().orElseThrow().asString())
                .isEqualTo("tool_calls");
    }

    /**
     * The provider has {@code retry.attempts: 1} and the alias one target, so each status seen is
     * the mapping of the one upstream reply, not the router's pick among a retry's failures (the
     * mock answers unscripted requests with a 500).
     */
    @Test
    void overloadedBecomes503AndRateLimitStaysA429() {
        upstream.enqueue(MockUpstream.Reply.json(529,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        assertThatThrownBy(() -> client().chat().completions().create(
                ChatCompletionCreateParams.builder().model("balanced").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("Overloaded");
                    assertThat(e.headers().values("x-switchboard-attempts")).containsExactly("1");
                });
        assertThat(upstream.exchanges()).hasSize(1);
        upstream.reset();

        upstream.enqueue(MockUpstream.Reply.json(429,
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of requests exceeded\"}}",
                "retry-after: 12"));
        assertThatThrownBy(() -> client().chat().completions().create(
                ChatCompletionCreateParams.builder().model("balanced").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.headers().values("Retry-After")).containsExactly("12");
                    assertThat(e.getMessage()).contains("Number of requests exceeded").doesNotContain(PROVIDER_KEY);
                });
        assertThat(upstream.exchanges()).hasSize(1);
    }

    @Test
    void anErrorEventMidStreamEndsTheStreamWithThatError() {
        upstream.enqueue(MockUpstream.Reply.sse(Fixtures.events("anthropic/error-midstream.sse"), 0));

        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(
                    ChatCompletionCreateParams.builder().model("balanced").addUserMessage("hi").build())) {
                stream.stream().forEach(chunk -> { });
            }
        }).hasMessageContaining("verloaded");
    }
}
