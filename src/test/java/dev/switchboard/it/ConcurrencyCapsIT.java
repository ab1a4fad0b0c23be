package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The caps on requests in flight (docs/hostile-clients.md#concurrency-caps) through the deployed
 * WAR: a token at its {@code maxConcurrent} gets a 429 with {@code Retry-After}, a node at
 * {@code requests.maxInFlight} a 503 (529 on the Messages door) while {@code /healthz} still
 * answers, both before any provider is called, and each place comes back when its exchange ends.
 * A stream past {@code requests.maxStreamMs} ends with an error event and its upstream connection
 * is closed. The provider is a mock whose streams wait for the test to let them finish, so that
 * requests overlap for sure.
 */
@ExtendWith(ArquillianExtension.class)
class ConcurrencyCapsIT {
    static final String TOKEN = "sb-it-caps-open";
    static final String CAPPED = "sb-it-caps-one-at-a-time";
    static final int MAX_IN_FLIGHT = 3;
    static final long MAX_STREAM_MS = 6_000;
    static final String MODEL = "upstream-caps";
    static MockUpstream upstream;

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        return GatewayDeployment.withConfig("concurrency-caps", """
                {
                  "providers": {
                    "slow": {"type": "openai", "baseUrl": "%1$s/v1", "apiKey": "sk-caps", "retry": {"attempts": 1}},
                    "echo": {"type": "echo"}
                  },
                  "models": {"slow": {"provider": "slow", "upstreamModel": "%2$s"}, "echo": {"provider": "echo"}},
                  "tokens": [
                    {"name": "open", "token": "%3$s"},
                    {"name": "capped", "token": "%4$s", "maxConcurrent": 1}
                  ],
                  "requests": {"maxInFlight": %5$d, "maxStreamMs": %6$d}
                }
                """.formatted(upstream.url(), MODEL, TOKEN, CAPPED, MAX_IN_FLIGHT, MAX_STREAM_MS));
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    /** Opened by each test when the streams it holds may finish. */
    private final CountDownLatch finish = new CountDownLatch(1);

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
        // Streams that start at once and finish when the test says so: they overlap the next request for sure.
        upstream.fallback(request -> exchange -> {
            List<String> events = OpenAiWire.textStream(MODEL, "a", "b");
            exchange.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n");
            exchange.writeChunk(events.get(0));
            finish.await(30, TimeUnit.SECONDS);
            for (String event : events.subList(1, events.size())) {
                exchange.writeChunk(event);
            }
            exchange.write("0\r\n\r\n");
        });
    }

    @AfterEach
    void finishStreams() {
        finish.countDown();
    }

    private HttpRequest request(String path, String token, String model, boolean stream) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":16,\"stream\":"
                        + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")).build();
    }

    private CompletableFuture<HttpResponse<String>> slowStream(String token) {
        return http.sendAsync(request("v1/chat/completions", token, "slow", true), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String path, String token, String model) throws Exception {
        return http.send(request(path, token, model, false), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends until the request is admitted, for up to five seconds: a place comes back when the
     * container reports the exchange complete, which may follow the client's last byte by a moment.
     */
    private int admittedSoon(String token) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int status;
        do {
            status = send("v1/chat/completions", token, "echo").statusCode();
            if (status != 429 && status != 503) {
                return status;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return status;
    }

    /** Waits until the upstream has seen {@code count} requests in this test. */
    private void upstreamSees(int count) throws Exception {
        upstream.awaitExchange(count, 10_000);
        assertThat(upstream.exchanges()).hasSize(count);
    }

    @Test
    void aTokenAtItsConcurrencyCapGetsA429WithRetryAfterUntilItsRequestEnds() throws Exception {
        CompletableFuture<HttpResponse<String>> first = slowStream(CAPPED);
        upstreamSees(1);

        HttpResponse<String> second = send("v1/chat/completions", CAPPED, "slow");

        assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).contains("1");
        JsonObject error = Json.parseObject(second.body()).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("concurrency_limit_exceeded");
        assertThat(error.getString("message")).contains("'capped'");
        assertThat(upstream.exchanges()).as("refused before any provider was called").hasSize(1);
        assertThat(send("v1/chat/completions", TOKEN, "echo").statusCode())
                .as("another token is not held back").isEqualTo(200);

        finish.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(admittedSoon(CAPPED))
                .as("the place came back when the stream ended").isEqualTo(200);
    }

    @Test
    void aNodeAtMaxInFlightAnswers503InEachDoorsShapeAndStillAnswersHealthChecks() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < MAX_IN_FLIGHT; i++) {
            held.add(slowStream(TOKEN));
        }
        upstreamSees(MAX_IN_FLIGHT);

        HttpResponse<String> chat = send("v1/chat/completions", TOKEN, "echo");
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(503);
        assertThat(chat.headers().firstValue("Retry-After")).contains("1");
        JsonObject error = Json.parseObject(chat.body()).getJsonObject("error");
        assertThat(error.keySet()).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(error.getString("code")).isEqualTo("overloaded");

        HttpResponse<String> messages = send("v1/messages", TOKEN, "echo");
        assertThat(messages.statusCode()).as(messages.body()).isEqualTo(529);
        assertThat(messages.headers().firstValue("Retry-After")).contains("1");
        JsonObject anthropic = Json.parseObject(messages.body());
        assertThat(anthropic.getString("type")).isEqualTo("error");
        assertThat(anthropic.getJsonObject("error").getString("type")).isEqualTo("overloaded_error");

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(upstream.exchanges()).as("refused before any provider was called").hasSize(MAX_IN_FLIGHT);

        finish.countDown();
        for (CompletableFuture<HttpResponse<String>> stream : held) {
            assertThat(stream.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(admittedSoon(TOKEN))
                .as("every place came back").isEqualTo(200);
    }

    @Test
    void aStreamPastMaxStreamMsEndsWithAnErrorEventAndReleasesItsUpstream() throws Exception {
        upstream.enqueue(MockUpstream.Reply.trickle(
                List.of(OpenAiWire.chunk(MODEL, "{\"role\":\"assistant\",\"content\":\"\"}", null)),
                OpenAiWire.chunk(MODEL, "{\"content\":\"tick \"}", null), 200));
        long started = System.nanoTime();

        HttpResponse<String> stream = slowStream(TOKEN).get(30, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("tick ").contains("\"code\":\"stream_time_limit\"")
                .doesNotContain("[DONE]");
        assertThat(tookMillis).isBetween(MAX_STREAM_MS - 500, MAX_STREAM_MS + 10_000);
        upstream.awaitExchange(1, 5_000).awaitClosed(5_000);
        assertThat(admittedSoon(TOKEN))
                .as("the place came back").isEqualTo(200);
    }
}
