package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Messages, Responses and embeddings doors through the deployed WAR, each driven by its
 * official SDK (anthropic-java, openai-java) against a mock of every provider wire format: the
 * pair that matches is relayed (Messages to Anthropic, Responses to an OpenAI provider with the
 * Responses API, embeddings to OpenAI), the others translated.
 */
@ExtendWith(ArquillianExtension.class)
class FrontDoorsIT {
    static final String TOKEN = "sb-it-front-doors";
    static final String ANTHROPIC_KEY = "sk-ant-doors-secret";
    static final String OPENAI_KEY = "sk-openai-doors-secret";
    static final String GEMINI_KEY = "gm-doors-secret";
    static MockUpstream upstream;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        return GatewayDeployment.withConfig("front-doors", """
                {
                  "providers": {
                    "claude": {"type": "anthropic", "baseUrl": "%1$s", "apiKey": "%2$s", "retry": {"attempts": 1}},
                    "openai": {"type": "openai", "baseUrl": "%1$s/v1", "apiKey": "%3$s", "responsesApi": true,
                               "retry": {"attempts": 1}},
                    "compat": {"type": "openai", "baseUrl": "%1$s/compat/v1", "apiKey": "%3$s", "retry": {"attempts": 1}},
                    "google": {"type": "gemini", "baseUrl": "%1$s", "apiKey": "%4$s", "retry": {"attempts": 1}}
                  },
                  "models": {
                    "claude-sonnet-4-6": {"provider": "claude"},
                    "gpt-5": {"provider": "openai"},
                    "llama": {"provider": "compat"},
                    "gemini-2.5-flash": {"provider": "google"},
                    "text-embedding-3-small": {"provider": "openai", "type": "embedding"},
                    "gemini-embedding-001": {"provider": "google", "type": "embedding"}
                  },
                  "tokens": [{"name": "doors", "token": "%5$s"}]
                }
                """.formatted(upstream.url(), ANTHROPIC_KEY, OPENAI_KEY, GEMINI_KEY, TOKEN));
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
    }

    private String root() {
        String url = base.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private AnthropicClient anthropic() {
        return AnthropicOkHttpClient.builder().baseUrl(root()).apiKey(TOKEN).maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    private OpenAIClient openai() {
        return OpenAIOkHttpClient.builder().baseUrl(root() + "/v1").apiKey(TOKEN).maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    private static MessageCreateParams hello(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(256).addUserMessage("Say hello").build();
    }

    private static JsonObject sent(MockUpstream.Exchange exchange) {
        return Json.parseObject(exchange.request().body());
    }

    // --- Messages ---------------------------------------------------------------------------

    @Test
    void messagesToAnthropicAreRelayedWithTheModelReplacedAndTheBetaHeaderForwarded() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, Fixtures.text("anthropic/message.json")));

        Message message = anthropic().messages().create(hello("claude-sonnet-4-6").toBuilder()
                .putAdditionalHeader("anthropic-beta", "prompt-caching-2024-07-31").build());

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Hello from Claude");
        assertThat(message.usage().cacheReadInputTokens()).contains(1800L);
        MockUpstream.Request request = upstream.awaitExchange(1, 5000).request();
        assertThat(request.target()).isEqualTo("/v1/messages");
        assertThat(request.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
        assertThat(request.header("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31");
        assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent(upstream.awaitExchange(1, 5000)).getString("model")).isEqualTo("claude-sonnet-4-6");
    }

    @Test
    void aMessagesStreamFromAnthropicReachesTheSdkEventForEvent() throws Exception {
        upstream.enqueue(MockUpstream.Reply.sse(Fixtures.events("anthropic/parallel-tools.sse"), 0));
        MessageCreateParams params = hello("claude-sonnet-4-6");

        MessageAccumulator accumulator = MessageAccumulator.create();
        List<String> types = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic().messages().createStreaming(params)) {
            stream.stream().forEach(event -> {
                accumulator.accumulate(event);
                types.add(event.isMessageStart() ? "message_start" : event.isMessageStop() ? "message_stop" : "other");
            });
        }

        Message message = accumulator.message();
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.content()).hasSize(4);
        assertThat(message.content().get(1).toolUse().orElseThrow().name()).isEqualTo("get_weather");
        assertThat(types.get(0)).isEqualTo("message_start");
        assertThat(types.get(types.size() - 1)).isEqualTo("message_stop");
    }

    @Test
    void messagesToAnOpenAiProviderAreTranslatedToChatAndBack() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"llama-3",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Let me look.",
                   "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                   "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42,"prompt_tokens_details":{"cached_tokens":10}}}
                """));
        MessageCreateParams params = hello("llama").toBuilder().system("Be brief.")
                .addTool(Tool.builder().name("get_weather").description("Weather for a city")
                        .inputSchema(Tool.InputSchema.builder().properties(com.anthropic.core.JsonValue.from(
                                Map.of("city", Map.of("type", "string")))).build()).build())
                .build();

        Message message = anthropic().messages().create(params);

        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Let me look.");
        assertThat(message.content().get(1).toolUse().orElseThrow().id()).isEqualTo("call_1");
        assertThat(message.usage().inputTokens()).isEqualTo(20);
        assertThat(message.usage().cacheReadInputTokens()).contains(10L);
        MockUpstream.Request request = upstream.awaitExchange(1, 5000).request();
        assertThat(request.target()).isEqualTo("/compat/v1/chat/completions");
        assertThat(request.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY);
        JsonObject chat = sent(upstream.awaitExchange(1, 5000));
        assertThat(chat.getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("system");
        assertThat(chat.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"))
                .isEqualTo("get_weather");
    }

    @Test
    void aMessagesStreamFromGeminiIsTranslatedIntoAnthropicEvents() throws Exception {
        upstream.enqueue(MockUpstream.Reply.sse(Fixtures.events("gemini/text.sse"), 0));

        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic().messages()
                .createStreaming(hello("gemini-2.5-flash"))) {
            stream.stream().forEach(accumulator::accumulate);
        }

        Message message = accumulator.message();
        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Grüße aus 東京 🌍! Ça va?");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(upstream.awaitExchange(1, 5000).request().target())
                .isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    }

    /** Claude Code's tool turn on Gemini: the result is named after its call, the reply is a tool_use. */
    @Test
    void aMessagesToolTurnToGeminiNamesTheFunctionAndComesBackAsToolUse() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Checking the time too."},
                   {"functionCall":{"name":"get_time","args":{"zone":"CET"}},"thoughtSignature":"c2ln"}]},
                   "finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":8,"totalTokenCount":38},
                 "modelVersion":"gemini-2.5-flash","responseId":"g1"}
                """));

        HttpResponse<String> response = post("/v1/messages", Map.of("x-api-key", TOKEN, "anthropic-version", "2023-06-01"),
                """
                {"model":"gemini-2.5-flash","max_tokens":1024,
                 "system":[{"type":"text","text":"You are a CLI.","cache_control":{"type":"ephemeral"}}],
                 "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},
                   {"name":"get_time","input_schema":{"type":"object","properties":{"zone":{"type":"string"}}}}],
                 "messages":[{"role":"user","content":"Weather in Paris?"},
                   {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01","name":"get_weather",
                     "input":{"city":"Paris"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"18C"}]}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject message = Json.parseObject(response.body());
        assertThat(message.getString("type")).isEqualTo("message");
        assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
        JsonObject toolUse = message.getJsonArray("content").getJsonObject(1);
        assertThat(toolUse.getString("type")).isEqualTo("tool_use");
        assertThat(toolUse.getString("name")).isEqualTo("get_time");
        assertThat(toolUse.getJsonObject("input").getString("zone")).isEqualTo("CET");
        MockUpstream.Request received = upstream.awaitExchange(1, 5000).request();
        assertThat(received.target()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        JsonObject sent = Json.parseObject(received.body());
        assertThat(sent.getJsonArray("contents").getJsonObject(2).getJsonArray("parts").getJsonObject(0)
                .getJsonObject("functionResponse").getString("name")).isEqualTo("get_weather");
        assertThat(sent.getJsonObject("systemInstruction").toString()).doesNotContain("cache_control");
    }

    @Test
    void countTokensAsksAnthropicForAnthropicModelsAndEstimatesElsewhere() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, "{\"input_tokens\":42}"));
        MessageCountTokensParams params = MessageCountTokensParams.builder().model("claude-sonnet-4-6")
                .addUserMessage("How many tokens is this?").build();

        assertThat(anthropic().messages().countTokens(params).inputTokens()).isEqualTo(42);
        assertThat(upstream.awaitExchange(1, 5000).request().target()).isEqualTo("/v1/messages/count_tokens");

        HttpResponse<String> estimated = post("/v1/messages/count_tokens", Map.of("x-api-key", TOKEN),
                "{\"model\":\"gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"How many tokens is this?\"}]}");
        assertThat(estimated.statusCode()).isEqualTo(200);
        assertThat(estimated.headers().firstValue("x-switchboard-token-count")).contains("estimate");
        assertThat(Json.parseObject(estimated.body()).getInt("input_tokens")).isBetween(6, 12);
        assertThat(upstream.exchanges()).hasSize(1);
    }

    @Test
    void errorsOnTheMessagesDoorHaveAnthropicsShapeAndStatuses() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}", "retry-after: 30"));
        assertThatThrownBy(() -> anthropic().messages().create(hello("claude-sonnet-4-6")))
                .isInstanceOf(RateLimitException.class).hasMessageContaining("per-minute rate limit");

        upstream.enqueue(MockUpstream.Reply.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}"));
        HttpResponse<String> overloaded = post("/v1/messages?beta=true", Map.of("x-api-key", TOKEN),
                "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(overloaded.statusCode()).isEqualTo(529);
        JsonObject body = Json.parseObject(overloaded.body());
        assertThat(body.getString("type")).isEqualTo("error");
        assertThat(body.getJsonObject("error").getString("type")).isEqualTo("overloaded_error");

        HttpResponse<String> unauthenticated = post("/v1/messages", Map.of("x-api-key", "not-a-token-of-ours"),
                "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":10,\"messages\":[]}");
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(Json.parseObject(unauthenticated.body()).getJsonObject("error").getString("type"))
                .isEqualTo("authentication_error");

        assertThatThrownBy(() -> anthropic().messages().create(hello("text-embedding-3-small")))
                .isInstanceOf(AnthropicServiceException.class).hasMessageContaining("embedding model");
    }

    // --- Responses --------------------------------------------------------------------------

    @Test
    void responsesToAnOpenAiProviderWithTheResponsesApiAreRelayed() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, Fixtures.text("openai/responses-text.json")));
        ResponseCreateParams params = ResponseCreateParams.builder().model("gpt-5").input("Say hello").build();

        Response response = openai().responses().create(params);

        assertThat(response.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text())
                .isEqualTo("Hello, Codex!");
        MockUpstream.Request request = upstream.awaitExchange(1, 5000).request();
        assertThat(request.target()).isEqualTo("/v1/responses");
        assertThat(sent(upstream.awaitExchange(1, 5000)).getString("input")).isEqualTo("Say hello");

        upstream.enqueue(MockUpstream.Reply.sse(Fixtures.events("openai/responses-text.sse"), 0));
        StringBuilder text = new StringBuilder();
        List<Long> sequence = new ArrayList<>();
        try (var stream = openai().responses().createStreaming(params)) {
            stream.stream().forEach(event -> {
                event.outputTextDelta().ifPresent(delta -> text.append(delta.delta()));
                sequence.add(sequenceNumber(event));
            });
        }
        assertThat(text).hasToString("Hello, Codex!");
        assertThat(sequence).startsWith(0L, 1L, 2L).isSorted();
    }

    private static long sequenceNumber(ResponseStreamEvent event) {
        return Json.parseObject(com.openai.core.ObjectMappers.jsonMapper().valueToTree(event).toString())
                .getJsonNumber("sequence_number").longValue();
    }

    @Test
    void responsesToAnthropicAreTranslatedWithTheTypedEventSequence() throws Exception {
        upstream.enqueue(MockUpstream.Reply.sse(Fixtures.events("anthropic/parallel-tools.sse"), 0));
        ResponseCreateParams params = ResponseCreateParams.builder().model("claude-sonnet-4-6")
                .instructions("You check the weather.").input("Weather in Paris and Tokyo?").build();

        StringBuilder text = new StringBuilder();
        List<String> calls = new ArrayList<>();
        Response[] completed = new Response[1];
        List<Long> sequence = new ArrayList<>();
        try (var stream = openai().responses().createStreaming(params)) {
            stream.stream().forEach(event -> {
                event.outputTextDelta().ifPresent(delta -> text.append(delta.delta()));
                event.outputItemDone().ifPresent(done -> done.item().functionCall()
                        .ifPresent(call -> calls.add(call.name() + call.arguments())));
                event.completed().ifPresent(c -> completed[0] = c.response());
                sequence.add(sequenceNumber(event));
            });
        }

        assertThat(text).hasToString("I'll check both.");
        assertThat(calls).hasSize(3).first().asString().startsWith("get_weather{");
        assertThat(completed[0]).isNotNull();
        assertThat(completed[0].output()).hasSize(4);
        assertThat(completed[0].usage().orElseThrow().inputTokens()).isEqualTo(472);
        for (int i = 0; i < sequence.size(); i++) {
            assertThat(sequence.get(i)).isEqualTo(i);
        }
        JsonObject messages = sent(upstream.awaitExchange(1, 5000));
        assertThat(upstream.awaitExchange(1, 5000).request().target()).isEqualTo("/v1/messages");
        assertThat(messages.getJsonArray("system").getJsonObject(0).getString("text")).isEqualTo("You check the weather.");
    }

    /**
     * A Responses client with reasoning talks to Claude over two turns: the thinking block's
     * signature reaches the client in the reasoning item's {@code encrypted_content} and, sent back
     * in the next request's input as Codex does, reaches Claude as the signed thinking block.
     */
    @Test
    void aResponsesClientKeepsClaudesThinkingSignatureAcrossTurns() throws Exception {
        upstream.enqueue(MockUpstream.Reply.sse(Fixtures.events("anthropic/thinking-text.sse"), 0));
        com.openai.models.Reasoning reasoning = com.openai.models.Reasoning.builder()
                .effort(com.openai.models.ReasoningEffort.HIGH).build();
        Response[] first = new Response[1];
        try (var stream = openai().responses().createStreaming(ResponseCreateParams.builder().model("claude-sonnet-4-6")
                .reasoning(reasoning).input("What is 27 * 453?").build())) {
            stream.stream().forEach(event -> event.incomplete().ifPresent(c -> first[0] = c.response()));
        }
        var thought = first[0].output().get(0).reasoning().orElseThrow();
        assertThat(thought.encryptedContent()).hasValueSatisfying(e -> assertThat(e).endsWith("dl1pkiMOYds"));

        upstream.enqueue(MockUpstream.Reply.sse(Fixtures.events("anthropic/text.sse"), 0));
        List<com.openai.models.responses.ResponseInputItem> input = List.of(
                com.openai.models.responses.ResponseInputItem.ofEasyInputMessage(
                        com.openai.models.responses.EasyInputMessage.builder()
                                .role(com.openai.models.responses.EasyInputMessage.Role.USER)
                                .content("What is 27 * 453?").build()),
                com.openai.models.responses.ResponseInputItem.ofReasoning(thought),
                com.openai.models.responses.ResponseInputItem.ofEasyInputMessage(
                        com.openai.models.responses.EasyInputMessage.builder()
                                .role(com.openai.models.responses.EasyInputMessage.Role.USER)
                                .content("And times 2?").build()));
        try (var stream = openai().responses().createStreaming(ResponseCreateParams.builder().model("claude-sonnet-4-6")
                .reasoning(reasoning).inputOfResponse(input).build())) {
            stream.stream().forEach(event -> { });
        }

        JsonObject second = sent(upstream.awaitExchange(2, 5000));
        JsonObject thinking = second.getJsonArray("messages").getJsonObject(1).getJsonArray("content").getJsonObject(0);
        assertThat(thinking.getString("type")).isEqualTo("thinking");
        assertThat(thinking.getString("signature")).isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds");
        assertThat(thinking.getString("thinking")).isEqualTo("The user wants 27 * 453.\n27 * 453 = 12231.");
    }

    @Test
    void aWholeResponseFromGeminiIsTranslated() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, """
                {"candidates":[{"content":{"parts":[{"text":"Hallo!"}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":2,"totalTokenCount":6},
                 "modelVersion":"gemini-2.5-flash","responseId":"abc"}
                """));

        Response response = openai().responses().create(ResponseCreateParams.builder().model("gemini-2.5-flash")
                .input("Say hello").build());

        assertThat(response.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text())
                .isEqualTo("Hallo!");
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(2);
    }

    @Test
    void previousResponseIdIsAClearBadRequest() {
        assertThatThrownBy(() -> openai().responses().create(ResponseCreateParams.builder().model("gpt-5")
                .input("and then?").previousResponseId("resp_123").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("send the whole conversation");
        assertThat(upstream.exchanges()).isEmpty();
    }

    // --- Embeddings -------------------------------------------------------------------------

    @Test
    void embeddingsAreRelayedToOpenAiAndTranslatedForGemini() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.25,-0.5]}],
                 "model":"text-embedding-3-small","usage":{"prompt_tokens":3,"total_tokens":3}}
                """));
        CreateEmbeddingResponse openAi = openai().embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("hello world").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                .build());
        assertThat(openAi.data().get(0).embedding()).containsExactly(0.25f, -0.5f);
        assertThat(upstream.awaitExchange(1, 5000).request().target()).isEqualTo("/v1/embeddings");

        upstream.enqueue(MockUpstream.Reply.json(200, "{\"embeddings\":[{\"values\":[0.5,0.125]},{\"values\":[1.0,-1.0]}]}"));
        CreateEmbeddingResponse gemini = openai().embeddings().create(EmbeddingCreateParams.builder()
                .model("gemini-embedding-001").inputOfArrayOfStrings(List.of("alpha", "beta")).dimensions(2L)
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
        assertThat(gemini.data()).hasSize(2);
        assertThat(gemini.data().get(1).embedding()).containsExactly(1.0f, -1.0f);
        assertThat(gemini.usage().promptTokens()).isPositive();
        MockUpstream.Request request = upstream.awaitExchange(2, 5000).request();
        assertThat(request.target()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
        JsonObject batch = Json.parseObject(request.body());
        assertThat(batch.getJsonArray("requests").getJsonObject(1).getInt("outputDimensionality")).isEqualTo(2);
    }

    @Test
    void anEmbeddingModelIsRefusedOnChatAndAChatModelOnEmbeddings() throws Exception {
        HttpResponse<String> chat = post("/v1/chat/completions", Map.of("Authorization", "Bearer " + TOKEN),
                "{\"model\":\"gemini-embedding-001\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(chat.statusCode()).isEqualTo(400);
        assertThat(chat.body()).contains("gemini-embedding-001").contains("embedding model");
        HttpResponse<String> embeddings = post("/v1/embeddings", Map.of("Authorization", "Bearer " + TOKEN),
                "{\"model\":\"claude-sonnet-4-6\",\"input\":\"hi\"}");
        assertThat(embeddings.statusCode()).isEqualTo(400);
        assertThat(embeddings.body()).contains("claude-sonnet-4-6").contains("cannot embed");
        HttpResponse<String> models = get("/v1/models");
        assertThat(models.body()).contains("\"id\":\"gemini-embedding-001\"", "\"type\":\"embedding\"");
        assertThat(upstream.exchanges()).isEmpty();
    }

    private HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(root() + path))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }
}
