package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
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
 * The Gemini connector through the deployed WAR: the OpenAI Java SDK on one side, a mock speaking
 * Gemini's native generateContent API on the other, including a tool round trip with a thinking
 * model's thought signature.
 */
@ExtendWith(ArquillianExtension.class)
class GeminiIT {
    static final String TOKEN = "sb-it-gemini";
    static final String PROVIDER_KEY = "AIza-it-secret";
    /** Between two events of a streamed reply: long enough that a relay that buffers shows. */
    static final long GAP_MILLIS = 300;
    static MockUpstream upstream;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        return GatewayDeployment.withConfig("gemini", """
                {
                  "providers": {"google": {"type": "gemini", "baseUrl": "%s", "apiKey": "%s",
                                           "retry": {"attempts": 1}}},
                  "models": {
                    "gemini-flash": {"provider": "google", "upstreamModel": "gemini-2.5-flash"},
                    "gemini-pro": {"provider": "google", "upstreamModel": "gemini-2.5-pro"},
                    "gemini-embed": {"provider": "google", "upstreamModel": "gemini-embedding-001", "type": "embedding"}
                  },
                  "aliases": {"smart": ["gemini-pro"]},
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

    private static FunctionDefinition weatherTool() {
        return FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .build();
    }

    /**
     * More inputs than one {@code batchEmbedContents} takes (100) go in batches, one after
     * another, and the client gets every embedding in its input's place.
     */
    @Test
    void embeddingsOfMoreInputsThanABatchAreSentInBatchesAndJoinedInOrder() throws Exception {
        // Each text "t<n>" is answered with the embedding [n, 0.5], whichever batch carries it.
        upstream.fallback(request -> {
            StringBuilder embeddings = new StringBuilder();
            for (var one : Json.parseObject(request.body()).getJsonArray("requests")) {
                String text = one.asJsonObject().getJsonObject("content").getJsonArray("parts").getJsonObject(0)
                        .getString("text");
                embeddings.append(embeddings.isEmpty() ? "" : ",").append("{\"values\":[")
                        .append(text.substring(1)).append(",0.5]}");
            }
            return MockUpstream.Reply.json(200, "{\"embeddings\":[" + embeddings + "]}");
        });
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            texts.add("t" + i);
        }

        com.openai.models.embeddings.CreateEmbeddingResponse response;
        try {
            response = client().embeddings().create(com.openai.models.embeddings.EmbeddingCreateParams.builder()
                    .model("gemini-embed").inputOfArrayOfStrings(texts).build());
        } finally {
            upstream.fallback(request -> MockUpstream.Reply.json(500, "{\"error\":{\"message\":\"no reply scripted\"}}"));
        }

        assertThat(response.data()).hasSize(250);
        for (int i = 0; i < 250; i++) {
            assertThat(response.data().get(i).index()).isEqualTo(i);
            assertThat(response.data().get(i).embedding()).containsExactly((float) i, 0.5f);
        }
        assertThat(response.usage().promptTokens()).isPositive();
        List<Integer> batchSizes = upstream.exchanges().stream()
                .map(e -> Json.parseObject(e.request().body()).getJsonArray("requests").size()).toList();
        assertThat(batchSizes).containsExactly(100, 100, 50);
        assertThat(upstream.exchanges()).allSatisfy(e -> assertThat(e.request().target())
                .isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents"));
    }

    @Test
    void nonStreamingReplyAndTheKeyTravelsOnlyInItsHeader() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Bonjour."}]},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":2,"thoughtsTokenCount":5,"totalTokenCount":16},
                 "modelVersion":"gemini-2.5-flash","responseId":"resp1"}
                """));

        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gemini-flash").addDeveloperMessage("Speak French.").addUserMessage("Hello").build());

        assertThat(completion.choices().get(0).message().content()).contains("Bonjour.");
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(7);
        MockUpstream.Request received = upstream.awaitExchange(1, 5000).request();
        assertThat(received.target()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(received.header("x-goog-api-key")).isEqualTo(PROVIDER_KEY);
        assertThat(received.target()).doesNotContain(PROVIDER_KEY);
        JsonObject body = Json.parseObject(received.body());
        assertThat(body.getJsonObject("systemInstruction").getJsonArray("parts").getJsonObject(0).getString("text"))
                .isEqualTo("Speak French.");
        assertThat(body.getJsonArray("contents").getJsonObject(0).getString("role")).isEqualTo("user");
    }

    @Test
    void streamingUsesAltSseArrivesChunkByChunkAndEndsWithUsage() {
        List<String> events = Fixtures.events("gemini/text.sse");
        int textEvent = Fixtures.firstIndexOf(events, "Grüße");
        upstream.enqueue(MockUpstream.Reply.sse(events, GAP_MILLIS));

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        long end;
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gemini-flash").addUserMessage("Hi")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            Iterator<ChatCompletionChunk> iterator = stream.stream().iterator();
            while (iterator.hasNext()) {
                chunks.add(iterator.next());
                arrivals.add(System.nanoTime());
            }
            end = System.nanoTime();
        }

        // After the first text event the mock sleeps a gap before each remaining event, and the
        // stream ends at the last one (its finish and usage): (events - textEvent - 1) gaps. A relay
        // that held the chunks back would deliver the text about when the stream ends; one gap of
        // slack covers scheduling.
        int firstText = -1;
        for (int i = 0; i < chunks.size() && firstText < 0; i++) {
            if (chunks.get(i).choices().stream().anyMatch(c -> !c.delta().content().orElse("").isEmpty())) {
                firstText = i;
            }
        }
        assertThat(firstText).as("a chunk with text").isNotNegative();
        assertThat((end - arrivals.get(firstText)) / 1_000_000).as("ms between the first text chunk and the end of the stream")
                .isGreaterThanOrEqualTo(GAP_MILLIS * (events.size() - textEvent - 2));

        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
        assertThat(text).isNotEmpty();
        assertThat(chunks.get(chunks.size() - 1).choices()).isEmpty();
        assertThat(chunks.get(chunks.size() - 1).usage()).isPresent();
        assertThat(upstream.exchanges().get(0).request().target())
                .isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    }

    @Test
    void toolRoundTripWithAThinkingModelCarriesTheThoughtSignatureBack() throws Exception {
        upstream.enqueue(MockUpstream.Reply.sse(Fixtures.events("gemini/thoughts.sse"), 0));

        ChatCompletionCreateParams.Builder ask = ChatCompletionCreateParams.builder().model("smart")
                .addUserMessage("Weather in Paris?").addFunctionTool(weatherTool())
                .reasoningEffort(ReasoningEffort.LOW);
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(ask.build())) {
            stream.stream().forEach(chunks::add);
        }
        var call = chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(c -> c.delta().toolCalls().orElse(List.of()).stream())
                .filter(t -> t.id().isPresent()).findFirst().orElseThrow();
        String callId = call.id().orElseThrow();
        String arguments = call.function().orElseThrow().arguments().orElseThrow();
        assertThat(Json.parseObject(arguments).getString("city")).isEqualTo("Paris");

        JsonObject firstSent = Json.parseObject(upstream.awaitExchange(1, 5000).request().body());
        assertThat(firstSent.getJsonObject("generationConfig").getJsonObject("thinkingConfig").getBoolean("includeThoughts"))
                .isTrue();
        assertThat(firstSent.getJsonArray("tools").getJsonObject(0).getJsonArray("functionDeclarations")
                .getJsonObject(0).getJsonObject("parameters").containsKey("additionalProperties")).isFalse();

        upstream.enqueue(MockUpstream.Reply.json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"18C and cloudy."}]},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":60,"candidatesTokenCount":5,"totalTokenCount":65},"responseId":"resp3"}
                """));
        ChatCompletion answer = client().chat().completions().create(ask
                .addMessage(ChatCompletionAssistantMessageParam.builder()
                        .addToolCall(ChatCompletionMessageToolCall.ofFunction(ChatCompletionMessageFunctionToolCall.builder()
                                .id(callId)
                                .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                        .name("get_weather").arguments(arguments).build())
                                .build()))
                        .build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(callId).content("18C cloudy").build())
                .build());

        assertThat(answer.choices().get(0).message().content()).contains("18C and cloudy.");
        JsonArray contents = Json.parseObject(upstream.awaitExchange(2, 5000).request().body()).getJsonArray("contents");
        JsonObject functionCallPart = contents.getJsonObject(1).getJsonArray("parts").stream()
                .map(JsonValue -> JsonValue.asJsonObject()).filter(p -> p.containsKey("functionCall")).findFirst().orElseThrow();
        assertThat(functionCallPart.getString("thoughtSignature"))
                .isEqualTo("EqoBCqcBAR/MhbYn0aJ3s2Q+5x7pW9c1cq0s0dV2Jx8fQmZJ6r9Hq4K1p2N/zYtq3Hk5mWQ==");
        JsonObject response = contents.getJsonObject(2).getJsonArray("parts").getJsonObject(0).getJsonObject("functionResponse");
        assertThat(response.getString("name")).isEqualTo("get_weather");
        assertThat(response.getJsonObject("response").getString("output")).isEqualTo("18C cloudy");
    }

    @Test
    void aBlockedPromptIsAContentFilterChoiceNeverAnEmptyReply() {
        upstream.enqueue(MockUpstream.Reply.json(200, """
                {"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}}
                """));

        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gemini-flash").addUserMessage("something blocked").build());

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("content_filter");
        assertThat(completion.choices().get(0).message().content()).isEmpty();
    }

    /**
     * The provider has {@code retry.attempts: 1} and each model one target, so each status seen is
     * the mapping of the one upstream reply, not the router's pick among a retry's failures (the
     * mock answers unscripted requests with a 500).
     */
    @Test
    void errorsMapToOpenAiStatusesAndNameTheProvidersKey() {
        upstream.enqueue(MockUpstream.Reply.json(400, """
                {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
                 "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}
                """));
        assertThatThrownBy(() -> client().chat().completions().create(
                ChatCompletionCreateParams.builder().model("gemini-flash").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(UnauthorizedException.class,
                        e -> assertThat(e.getMessage()).contains("google").doesNotContain(PROVIDER_KEY));
        assertThat(upstream.exchanges()).hasSize(1);
        upstream.reset();

        upstream.enqueue(MockUpstream.Reply.json(429, """
                {"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}
                """, "Retry-After: 3"));
        assertThatThrownBy(() -> client().chat().completions().create(
                ChatCompletionCreateParams.builder().model("gemini-flash").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.headers().values("Retry-After")).containsExactly("3");
                    assertThat(e.headers().values("x-switchboard-attempts")).containsExactly("1");
                });
        assertThat(upstream.exchanges()).hasSize(1);
    }
}
