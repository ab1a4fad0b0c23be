package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Both endpoints through the deployed WAR on Tomcat, with the official OpenAI Java SDK as the
 * client and a mock OpenAI-compatible provider upstream.
 */
@ExtendWith(ArquillianExtension.class)
class OpenAiCompatibleIT {
    static final String TOKEN = "sb-it-openai-token";
    static final String LIMITED_TOKEN = "sb-it-limited";
    static final String ACCOUNTED_TOKEN = "sb-it-accounted-token";
    static final String SCRAPER_TOKEN = "sb-it-openai-scraper";
    static final String TPM_TOKEN = "sb-it-openai-tpm-200";
    /** What the mock's usage (12 in, 3 out) costs at the mock model's price: 12 × $2 + 3 × $8 per million. */
    static final double MOCK_USAGE_USD = 0.000048;
    static final String PROVIDER_KEY = "sk-upstream-secret";
    static MockUpstream upstream;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        return GatewayDeployment.withConfig("openai-compatible", """
                {
                  "providers": {
                    "mock": {"type": "openai", "baseUrl": "%s/v1", "apiKey": "%s"},
                    "echo": {"type": "echo"}
                  },
                  "models": {
                    "mock-model": {"provider": "mock", "upstreamModel": "upstream-model-x",
                                   "pricing": {"input": 2.00, "output": 8.00}},
                    "echo": {"provider": "echo"}
                  },
                  "aliases": {
                    "fast": ["mock-model"],
                    "smart": ["echo"]
                  },
                  "tokens": [
                    {"name": "it", "token": "%s"},
                    {"name": "limited", "token": "%s", "models": ["smart"]},
                    {"name": "accounted", "token": "%s"},
                    {"name": "scraper", "token": "%s", "metrics": true, "models": []},
                    {"name": "tpm-200", "token": "%s", "tpm": 200}
                  ]
                }
                """.formatted(upstream.url(), PROVIDER_KEY, TOKEN, LIMITED_TOKEN, ACCOUNTED_TOKEN, SCRAPER_TOKEN,
                TPM_TOKEN));
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
    }

    private OpenAIClient client(String token) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(base.toString() + "v1")
                .apiKey(token)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    private static ChatCompletionCreateParams.Builder ask(String model, String text) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(text);
    }

    @Test
    void nonStreamingCompletionIsRelayedAndTheUpstreamSeesOnlyTheModelReplaced() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion("upstream-model-x", "Four.")));

        ChatCompletion completion = client(TOKEN).chat().completions().create(ask("fast", "What is 2+2?")
                .temperature(0.2)
                .putAdditionalBodyProperty("some_future_field", JsonValue.from(Map.of("kept", true)))
                .build());

        assertThat(completion.choices().get(0).message().content()).contains("Four.");
        assertThat(completion.model()).isEqualTo("upstream-model-x");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(15);

        MockUpstream.Request received = upstream.awaitExchange(1, 5000).request();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.target()).isEqualTo("/v1/chat/completions");
        assertThat(received.header("Authorization")).isEqualTo("Bearer " + PROVIDER_KEY);
        JsonObject body = Json.parseObject(received.body());
        assertThat(body.getString("model")).isEqualTo("upstream-model-x");
        assertThat(body.getJsonObject("some_future_field").getBoolean("kept")).isTrue();
        assertThat(body.getJsonNumber("temperature").doubleValue()).isEqualTo(0.2);
        assertThat(body.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("What is 2+2?");
    }

    @Test
    void streamingChunksArriveInOrderAndEndCleanly() throws Exception {
        upstream.enqueue(MockUpstream.Reply.sse(OpenAiWire.textStream("upstream-model-x", "Hel", "lo", " there"), 20));

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client(TOKEN).chat().completions()
                .createStreaming(ask("fast", "Say hello").build())) {
            stream.stream().forEach(chunks::add);
        }

        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
        assertThat(text).isEqualTo("Hello there");
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason())
                .hasValueSatisfying(reason -> assertThat(reason.asString()).isEqualTo("stop"));
        JsonObject body = Json.parseObject(upstream.awaitExchange(1, 5000).request().body());
        assertThat(body.getBoolean("stream")).isTrue();
        assertThat(upstream.exchanges().get(0).request().header("Accept")).isEqualTo("text/event-stream");
    }

    /**
     * A provider that honours {@code include_usage}: its usage chunk comes only when the request
     * asked for it, as OpenAI's does.
     */
    private static MockUpstream.Reply honouringIncludeUsage(String... pieces) {
        return exchange -> {
            JsonObject options = Json.parseObject(exchange.request().body()).getJsonObject("stream_options");
            List<String> events = new ArrayList<>(OpenAiWire.textStream("upstream-model-x", pieces));
            if (options != null && options.getBoolean("include_usage", false)) {
                events.add(events.size() - 1, OpenAiWire.usageChunk("upstream-model-x", 12, 3));
            }
            MockUpstream.Reply.sse(events, 0).write(exchange);
        };
    }

    private List<ChatCompletionChunk> streamAsAccounted(ChatCompletionCreateParams params) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client(ACCOUNTED_TOKEN).chat().completions()
                .createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }
        return chunks;
    }

    /** The accounted token's cost so far, from /metrics. */
    private double accountedCost() throws Exception {
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "metrics"))
                .header("Authorization", "Bearer " + SCRAPER_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        Matcher matcher = Pattern.compile("(?m)^switchboard_cost_usd_total\\{[^}]*token=\"accounted\"[^}]*} (\\S+)$")
                .matcher(scrape.body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /** Waits for the accounted token's cost to reach {@code expected}: the access log counts it as the exchange completes. */
    private void awaitAccountedCost(double expected) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        double cost = accountedCost();
        while (Math.abs(cost - expected) > 1e-12 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            cost = accountedCost();
        }
        assertThat(cost).isCloseTo(expected, within(1e-12));
    }

    @Test
    void aStreamIsAccountedWhetherOrNotItsClientAskedForUsage() throws Exception {
        double before = accountedCost();
        upstream.enqueue(honouringIncludeUsage("Hel", "lo"));

        List<ChatCompletionChunk> unasked = streamAsAccounted(ask("fast", "Say hello").build());

        assertThat(unasked).as("no usage chunk the client did not ask for")
                .allSatisfy(chunk -> {
                    assertThat(chunk.choices()).isNotEmpty();
                    assertThat(chunk.usage()).isEmpty();
                });
        assertThat(unasked.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
                .collect(Collectors.joining())).isEqualTo("Hello");
        JsonObject sent = Json.parseObject(upstream.awaitExchange(1, 5000).request().body());
        assertThat(sent.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
        awaitAccountedCost(before + MOCK_USAGE_USD);

        upstream.enqueue(honouringIncludeUsage("Hel", "lo"));
        List<ChatCompletionChunk> asked = streamAsAccounted(ask("fast", "Say hello")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

        ChatCompletionChunk last = asked.get(asked.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().totalTokens()).isEqualTo(15);
        awaitAccountedCost(before + 2 * MOCK_USAGE_USD);
    }

    /** Waits for the accounted token's cost to rise above {@code before}, and returns it. */
    private double awaitAccountedCostAbove(double before) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        double cost = accountedCost();
        while (cost <= before && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            cost = accountedCost();
        }
        assertThat(cost).isGreaterThan(before);
        return cost;
    }

    /**
     * Whether the access log has files to read: the project's Tomcat (the default launch) writes
     * it to {@code switchboard-access.*}; the stock Tomcat and Jetty only to the console.
     */
    private static final boolean ACCESS_LOG_FILES = System.getProperty("arquillian.launch") == null;

    /** The request's access-log line, or null where it has no file. */
    private static JsonObject accessLine(TomcatLogs.Mark since, String requestId) throws Exception {
        if (!ACCESS_LOG_FILES) {
            return null;
        }
        return Json.parseObject(TomcatLogs.awaitLine(since, "switchboard-access.", l -> l.contains(requestId), 10_000));
    }

    @Test
    void aStreamTheClientLeftIsChargedAnEstimateOfWhatItUsed() throws Exception {
        double before = accountedCost();
        TomcatLogs.Mark mark = ACCESS_LOG_FILES ? TomcatLogs.mark() : null;
        String requestId = "it-left-" + System.nanoTime();
        upstream.enqueue(MockUpstream.Reply.trickle(
                List.of(OpenAiWire.chunk("upstream-model-x", "{\"role\":\"assistant\",\"content\":\"\"}", null)),
                OpenAiWire.chunk("upstream-model-x", "{\"content\":\" counting sheep\"}", null), 50));

        try (StreamResponse<ChatCompletionChunk> stream = client(ACCOUNTED_TOKEN).chat().completions()
                .createStreaming(ask("fast", "count forever").putAdditionalHeader("x-request-id", requestId).build())) {
            Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            for (int i = 0; i < 4; i++) {
                chunks.next();
            }
        }
        upstream.awaitExchange(1, 5000).awaitClosed(5000);

        double cost = awaitAccountedCostAbove(before);
        // At least the prompt ("count forever" in one user message) and the three chunks the client read.
        assertThat(cost - before).isGreaterThanOrEqualTo((5 * 2.00 + 3 * 2 * 8.00) / 1e6);
        JsonObject line = accessLine(mark, requestId);
        if (line != null) {
            assertThat(line.getBoolean("usage_estimated")).isTrue();
            assertThat(line.getJsonNumber("completion_tokens").longValue()).isGreaterThanOrEqualTo(6);
            assertThat(line.getJsonNumber("prompt_tokens").longValue()).isPositive();
            assertThat(line.getJsonNumber("cost_usd").doubleValue()).isPositive();
        }
    }

    @Test
    void aStreamTheUpstreamDroppedMidwayIsChargedAnEstimate() throws Exception {
        double before = accountedCost();
        upstream.enqueue(MockUpstream.Reply.sseThenDrop(
                OpenAiWire.textStream("upstream-model-x", "partial", " answer", " never", " finished"), 3));

        assertThatThrownBy(() -> streamAsAccounted(ask("fast", "hi").build())).hasMessageContaining("mock");

        awaitAccountedCostAbove(before);
    }

    @Test
    void aPromptLargerThanTheTokensLeftIsRefusedBeforeAnyProviderCall() {
        String longPrompt = "please summarise this sentence again and again. ".repeat(60);

        assertThatThrownBy(() -> client(TPM_TOKEN).chat().completions().create(ask("fast", longPrompt).build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.getMessage()).contains("tokens per minute").contains("200");
                    assertThat(e.headers().values("x-ratelimit-remaining-tokens")).containsExactly("200");
                });
        assertThat(upstream.exchanges()).as("no provider was called").isEmpty();

        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion("upstream-model-x", "Short.")));
        ChatCompletion small = client(TPM_TOKEN).chat().completions().create(ask("fast", "hi").build());
        assertThat(small.choices().get(0).message().content()).contains("Short.");
    }

    @Test
    void toolCallsPassThrough() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.toolCallCompletion("upstream-model-x")));

        ChatCompletion completion = client(TOKEN).chat().completions().create(ask("fast", "Weather in Paris?")
                .addFunctionTool(FunctionDefinition.builder().name("get_weather")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build())
                        .build())
                .build());

        ChatCompletionMessageFunctionToolCall call = completion.choices().get(0).message().toolCalls().orElseThrow()
                .get(0).asFunction();
        assertThat(call.id()).isEqualTo("call_a1");
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
        JsonObject body = Json.parseObject(upstream.awaitExchange(1, 5000).request().body());
        assertThat(body.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"))
                .isEqualTo("get_weather");
    }

    @Test
    void modelsListConcreteModelsThenAliasesAndFilterByToken() {
        List<String> all = client(TOKEN).models().list().data().stream().map(Model::id).toList();
        assertThat(all).containsExactly("mock-model", "echo", "fast", "smart");
        Model mock = client(TOKEN).models().retrieve("mock-model");
        assertThat(mock.ownedBy()).isEqualTo("mock");
        assertThat(client(TOKEN).models().retrieve("fast").ownedBy()).isEqualTo("switchboard");

        assertThat(client(LIMITED_TOKEN).models().list().data().stream().map(Model::id)).containsExactly("smart");
        assertThatThrownBy(() -> client(LIMITED_TOKEN).models().retrieve("mock-model"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client(TOKEN).models().retrieve("no-such-model"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void wrongTokenIsUnauthorized() {
        assertThatThrownBy(() -> client("sb-wrong").chat().completions().create(ask("fast", "hi").build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.code()).contains("invalid_api_key");
                });
        assertThat(upstream.exchanges()).isEmpty();
    }

    @Test
    void unknownModelAndModelOutsideTheAllowlistAreTheSame404() {
        assertThatThrownBy(() -> client(TOKEN).chat().completions().create(ask("gpt-nonexistent", "hi").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).contains("model_not_found"));
        assertThatThrownBy(() -> client(LIMITED_TOKEN).chat().completions().create(ask("fast", "hi").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).contains("model_not_found"));
        assertThat(upstream.exchanges()).isEmpty();
    }

    @Test
    void upstreamServerErrorBecomesBadGatewayNamingTheProvider() {
        // A 500 is retried once on the same target (the default of two attempts), then reported.
        upstream.enqueue(MockUpstream.Reply.json(500, OpenAiWire.error("boom", "server_error", null)));
        upstream.enqueue(MockUpstream.Reply.json(500, OpenAiWire.error("boom", "server_error", null)));

        assertThatThrownBy(() -> client(TOKEN).chat().completions().create(ask("fast", "hi").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("mock").contains("boom").doesNotContain(PROVIDER_KEY);
                    assertThat(e.headers().values("x-switchboard-attempts")).containsExactly("2");
                });
    }

    @Test
    void upstreamRateLimitStaysA429WithRetryAfter() {
        upstream.enqueue(MockUpstream.Reply.json(429, OpenAiWire.error("slow down", "requests", "rate_limit_exceeded"),
                "Retry-After: 7"));

        assertThatThrownBy(() -> client(TOKEN).chat().completions().create(ask("fast", "hi").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.headers().values("Retry-After")).containsExactly("7");
                    assertThat(e.getMessage()).contains("slow down");
                });
    }

    @Test
    void upstreamHangingUpMidStreamEndsTheStreamWithAnError() {
        List<String> events = OpenAiWire.textStream("upstream-model-x", "partial", " answer");
        upstream.enqueue(MockUpstream.Reply.sseThenDrop(events, 2));

        List<String> received = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client(TOKEN).chat().completions()
                    .createStreaming(ask("fast", "hi").build())) {
                stream.stream().forEach(chunk -> chunk.choices().forEach(
                        choice -> choice.delta().content().ifPresent(received::add)));
            }
        }).hasMessageContaining("mock");
        assertThat(received).contains("partial");
    }

    @Test
    void clientDisconnectMidStreamClosesTheUpstreamConnection() throws Exception {
        upstream.enqueue(MockUpstream.Reply.trickle(
                List.of(OpenAiWire.chunk("upstream-model-x", "{\"role\":\"assistant\",\"content\":\"\"}", null)),
                OpenAiWire.chunk("upstream-model-x", "{\"content\":\"tick \"}", null), 100));

        try (StreamResponse<ChatCompletionChunk> stream = client(TOKEN).chat().completions()
                .createStreaming(ask("fast", "count forever").build())) {
            Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            for (int i = 0; i < 3; i++) {
                chunks.next();
            }
        }
        long leftAt = System.nanoTime();
        MockUpstream.Exchange exchange = upstream.awaitExchange(1, 5000);
        long closedAt = exchange.awaitClosed(5000);
        assertThat(TimeUnit.NANOSECONDS.toMillis(closedAt - leftAt)).isLessThan(1000);
    }

    /**
     * Regression: a client leaving mid-stream once made Tomcat close an unrelated new connection
     * (docs/tomcat-async-write-race.md). Every round here disconnects, and
     * the next request, on a fresh connection, must still be answered.
     */
    @Test
    void repeatedDisconnectsNeverHurtTheNextClient() throws Exception {
        String tick = OpenAiWire.chunk("upstream-model-x", "{\"content\":\"tick \"}", null);
        for (int round = 0; round < 20; round++) {
            upstream.reset();
            upstream.enqueue(MockUpstream.Reply.trickle(List.of(), tick, 20));
            try (StreamResponse<ChatCompletionChunk> stream = client(TOKEN).chat().completions()
                    .createStreaming(ask("fast", "round " + round).build())) {
                Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
                chunks.next();
                chunks.next();
            }
            upstream.awaitExchange(1, 5000).awaitClosed(5000);
            Model model = client(TOKEN).models().retrieve("echo");
            assertThat(model.id()).as("request after disconnect %d", round).isEqualTo("echo");
        }
    }

    @Test
    void echoProviderServesTheSmartAliasStreamingWithUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client(LIMITED_TOKEN).chat().completions()
                .createStreaming(ask("smart", "one two three four five six seven")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
        assertThat(text).isEqualTo("one two three four five six seven");
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(7);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.model()).isEqualTo("echo"));
        assertThat(chunks.stream().map(ChatCompletionChunk::id).distinct()).hasSize(1);
        assertThat(upstream.exchanges()).isEmpty();
    }
}
