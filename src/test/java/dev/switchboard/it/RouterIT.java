package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retries, fallbacks, timeouts, cooldown-free recovery and per-token limits through the deployed
 * WAR, against a scripted OpenAI-compatible upstream. Each test uses models of its own, so that
 * one test's failures never put another's targets in cooldown.
 */
@ExtendWith(ArquillianExtension.class)
class RouterIT {
    static final String TOKEN = "sb-it-router";
    static final String LIMITED_TOKEN = "sb-it-rpm-limited";
    static MockUpstream upstream;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        String mock = upstream.url() + "/v1";
        return GatewayDeployment.withConfig("router", """
                {
                  "retry": {"attempts": 2, "baseMs": 200, "capMs": 2000},
                  "providers": {
                    "mock":    {"type": "openai", "baseUrl": "%1$s"},
                    "hung":    {"type": "openai", "baseUrl": "%1$s", "timeouts": {"firstByteMs": 500}, "retry": {"attempts": 1}},
                    "dead":    {"type": "openai", "baseUrl": "http://127.0.0.1:1/v1", "timeouts": {"connectMs": 1000}},
                    "patient": {"type": "openai", "baseUrl": "%1$s", "retry": {"baseMs": 2000, "capMs": 2000}},
                    "echo":    {"type": "echo"}
                  },
                  "models": {
                    "m-500": {"provider": "mock"}, "m-429": {"provider": "mock"},
                    "m-hung": {"provider": "hung"}, "m-ok1": {"provider": "mock"},
                    "m-529a": {"provider": "mock"}, "m-529b": {"provider": "mock"},
                    "m-break": {"provider": "mock"}, "m-400": {"provider": "mock"},
                    "m-dead": {"provider": "dead"}, "m-ok2": {"provider": "mock"},
                    "m-patient": {"provider": "patient"},
                    "echo": {"provider": "echo"}
                  },
                  "aliases": {
                    "hung-then-ok": ["m-hung", "m-ok1"],
                    "overloaded": ["m-529a", "m-529b"],
                    "dead-then-ok": {"strategy": "fallback", "targets": ["m-dead", "m-ok2"]},
                    "break-then-ok": ["m-break", "m-ok2"]
                  },
                  "tokens": [
                    {"name": "it", "token": "%2$s"},
                    {"name": "rpm", "token": "%3$s", "rpm": 12, "models": ["echo"]}
                  ]
                }
                """.formatted(mock, TOKEN, LIMITED_TOKEN));
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
    }

    private OpenAIClient client(String token, Duration timeout) {
        return OpenAIOkHttpClient.builder().baseUrl(base.toString() + "v1").apiKey(token)
                .maxRetries(0).timeout(timeout).build();
    }

    private OpenAIClient client() {
        return client(TOKEN, Duration.ofSeconds(30));
    }

    private static ChatCompletionCreateParams ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
    }

    private static String header(HttpResponseFor<?> response, String name) {
        List<String> values = response.headers().values(name);
        return values.isEmpty() ? null : values.get(0);
    }

    @Test
    void aServerErrorThenSuccessOnTheSameTarget() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(500, OpenAiWire.error("transient", "server_error", null)));
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion("m-500", "second time lucky")));

        HttpResponseFor<ChatCompletion> response = client().chat().completions().withRawResponse().create(ask("m-500"));

        assertThat(response.parse().choices().get(0).message().content()).contains("second time lucky");
        assertThat(header(response, "x-switchboard-attempts")).isEqualTo("2");
        assertThat(header(response, "x-switchboard-model")).isEqualTo("m-500");
        assertThat(upstream.exchanges()).hasSize(2);
    }

    @Test
    void aRateLimitWithRetryAfterIsWaitedOutThenSucceeds() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(429, OpenAiWire.error("slow down", "requests", "rate_limit_exceeded"),
                "Retry-After: 1"));
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion("m-429", "after the wait")));

        long started = System.nanoTime();
        ChatCompletion completion = client().chat().completions().create(ask("m-429"));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(completion.choices().get(0).message().content()).contains("after the wait");
        assertThat(tookMillis).as("the provider's Retry-After of 1 s was honoured").isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aHungTargetTimesOutAndTheNextOneAnswers() throws Exception {
        upstream.enqueue(MockUpstream.Reply.hang());
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion("m-ok1", "from the fallback")));

        HttpResponseFor<ChatCompletion> response = client().chat().completions().withRawResponse().create(ask("hung-then-ok"));

        assertThat(response.parse().choices().get(0).message().content()).contains("from the fallback");
        assertThat(header(response, "x-switchboard-model")).isEqualTo("m-ok1");
        assertThat(header(response, "x-switchboard-attempts")).isEqualTo("2");
        assertThat(upstream.exchanges().get(0).awaitClosed(2000)).as("the hung request was released").isPositive();
    }

    @Test
    void overloadedEverywhereIsA503AfterEveryTry() {
        for (int i = 0; i < 4; i++) {
            upstream.enqueue(MockUpstream.Reply.json(529, OpenAiWire.error("Overloaded", "overloaded_error", null)));
        }

        assertThatThrownBy(() -> client().chat().completions().withRawResponse().create(ask("overloaded")))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.headers().values("x-switchboard-attempts")).containsExactly("4");
                });
        assertThat(upstream.exchanges()).hasSize(4);
    }

    @Test
    void aStreamThatBreaksAfterItsFirstChunkEndsWithAnErrorAndIsNotRetried() throws Exception {
        List<String> events = OpenAiWire.textStream("m-break", "first", " second");
        upstream.enqueue(MockUpstream.Reply.sseThenDrop(events, 2));

        List<String> contents = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(ask("break-then-ok"))) {
                stream.stream().forEach(chunk -> chunk.choices().forEach(
                        choice -> choice.delta().content().ifPresent(contents::add)));
            }
        }).hasMessageContaining("mock");
        assertThat(contents).contains("first");
        Thread.sleep(500);
        assertThat(upstream.exchanges()).as("no second upstream call").hasSize(1);
    }

    @Test
    void aBadRequestIsNotRetried() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(400, OpenAiWire.error("max_tokens is too large", "invalid_request_error", null)));

        assertThatThrownBy(() -> client().chat().completions().create(ask("m-400")))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.getMessage()).contains("max_tokens is too large");
                    assertThat(e.headers().values("x-switchboard-attempts")).containsExactly("1");
                });
        Thread.sleep(300);
        assertThat(upstream.exchanges()).hasSize(1);
    }

    @Test
    void anAliasWithADeadFirstTargetAnswersThroughItsSecond() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion("m-ok2", "nothing to see here")));

        HttpResponseFor<ChatCompletion> response = client().chat().completions().withRawResponse().create(ask("dead-then-ok"));

        assertThat(response.parse().choices().get(0).message().content()).contains("nothing to see here");
        assertThat(header(response, "x-switchboard-model")).isEqualTo("m-ok2");
        assertThat(header(response, "x-switchboard-provider")).isEqualTo("mock");
        assertThat(header(response, "x-switchboard-attempts")).isEqualTo("3");
    }

    @Test
    void aClientThatLeavesDuringBackoffGetsNoFurtherGenerationStreamed() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(503, OpenAiWire.error("busy", "server_error", null)));
        upstream.enqueue(MockUpstream.Reply.trickle(List.of(), OpenAiWire.chunk("m-patient", "{\"content\":\"x\"}", null), 50));

        // The client gives up after 500 ms, while the gateway waits 1-2 s before trying again.
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client(TOKEN, Duration.ofMillis(500)).chat().completions()
                    .createStreaming(ask("m-patient"))) {
                stream.stream().forEach(chunk -> { });
            }
        }).isNotNull();

        // Servlet containers tell an application about a closed connection only when it writes,
        // so the retry still starts; its first write then finds the client gone and ends it.
        MockUpstream.Exchange retry = upstream.awaitExchange(2, 5000);
        long startedNanos = System.nanoTime();
        long closedNanos = retry.awaitClosed(3000);
        assertThat(TimeUnit.NANOSECONDS.toMillis(closedNanos - startedNanos)).isLessThan(1000);
        Thread.sleep(2500);
        assertThat(upstream.exchanges()).as("no third try").hasSize(2);
    }

    @Test
    void aTokenOverItsRpmGetsA429UntilItsBudgetRefills() throws Exception {
        OpenAIClient limited = client(LIMITED_TOKEN, Duration.ofSeconds(10));
        HttpResponseFor<ChatCompletion> first = limited.chat().completions().withRawResponse().create(ask("echo"));
        assertThat(header(first, "x-ratelimit-limit-requests")).isEqualTo("12");
        assertThat(header(first, "x-ratelimit-remaining-requests")).isEqualTo("11");
        assertThat(header(first, "x-ratelimit-reset-requests")).isEqualTo("5s");
        for (int i = 0; i < 11; i++) {
            limited.chat().completions().create(ask("echo"));
        }

        // 12 per minute refill one every 5 s: the burst is spent.
        long[] retryAfter = new long[1];
        assertThatThrownBy(() -> limited.chat().completions().create(ask("echo")))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.code()).contains("rate_limit_exceeded");
                    assertThat(e.headers().values("x-ratelimit-remaining-requests")).containsExactly("0");
                    retryAfter[0] = Long.parseLong(e.headers().values("Retry-After").get(0));
                });
        assertThat(retryAfter[0]).isBetween(1L, 5L);

        Thread.sleep(TimeUnit.SECONDS.toMillis(retryAfter[0]) + 100);
        assertThat(limited.chat().completions().create(ask("echo")).choices()).hasSize(1);
    }
}
