package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * A provider that sends the last event of its stream ({@code [DONE]}, {@code message_stop},
 * Gemini's last chunk) and then keeps the response open: the client's stream still ends at once,
 * and the gateway closes the upstream connection instead of waiting on it. The providers' idle
 * timeout is short, so that a gateway waiting for the body's end fails these tests in seconds.
 */
@ExtendWith(ArquillianExtension.class)
class FinishedStreamIT {
    static final String TOKEN = "sb-it-finished-streams";
    /** Idle timeout of the providers: what a stream waiting for its body's end would take to fail. */
    static final long IDLE_MS = 5_000;
    /** How soon after the finish chunk the client's stream must have ended. */
    static final long PROMPTLY_MS = 1_000;
    static MockUpstream upstream;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        return GatewayDeployment.withConfig("finished-streams", """
                {
                  "providers": {
                    "openai": {"type": "openai", "baseUrl": "%1$s/v1", "apiKey": "sk-it", "retry": {"attempts": 1},
                               "timeouts": {"idleMs": %2$d}},
                    "claude": {"type": "anthropic", "baseUrl": "%1$s", "apiKey": "sk-ant-it", "retry": {"attempts": 1},
                               "timeouts": {"idleMs": %2$d}},
                    "google": {"type": "gemini", "baseUrl": "%1$s", "apiKey": "AIza-it", "retry": {"attempts": 1},
                               "timeouts": {"idleMs": %2$d}}
                  },
                  "models": {
                    "gpt": {"provider": "openai", "upstreamModel": "gpt-4o"},
                    "claude": {"provider": "claude", "upstreamModel": "claude-sonnet-4-5"},
                    "gemini": {"provider": "google", "upstreamModel": "gemini-2.5-flash"}
                  },
                  "tokens": [{"name": "it", "token": "%3$s"}]
                }
                """.formatted(upstream.url(), IDLE_MS, TOKEN));
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
                .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
    }

    /**
     * Streams {@code model} against {@code events} held open after the last one, and checks that
     * the client's stream ended, and the upstream connection was closed, promptly after the
     * client got the finish chunk. Timed from that chunk rather than from the upstream's last
     * write, so that a cold first request on a busy machine does not count.
     */
    private String streamEndsPromptly(String model, List<String> events) throws Exception {
        upstream.enqueue(MockUpstream.Reply.sseThenHold(events));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        long[] finishArrived = {0};
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                if (!chunk.choices().isEmpty() && chunk.choices().get(0).finishReason().isPresent()) {
                    finishArrived[0] = System.nanoTime();
                }
            });
        }
        long clientEnded = System.nanoTime();
        long upstreamClosed = upstream.awaitExchange(1, 5_000).awaitClosed(5_000);

        assertThat(finishArrived[0]).as("a finish chunk arrived").isNotZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(clientEnded - finishArrived[0]))
                .as("ms from the finish chunk to the end of the client's stream").isLessThan(PROMPTLY_MS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(upstreamClosed - finishArrived[0]))
                .as("ms from the finish chunk to the upstream connection's close").isLessThan(PROMPTLY_MS);
        assertThat(chunks.stream().filter(chunk -> !chunk.choices().isEmpty())
                .map(chunk -> chunk.choices().get(0).finishReason()).flatMap(Optional::stream)
                .map(reason -> reason.asString())).containsExactly("stop");
        assertThat(chunks.get(chunks.size() - 1).usage()).as("the usage chunk comes last").isPresent();
        return chunks.stream().filter(chunk -> !chunk.choices().isEmpty())
                .map(chunk -> chunk.choices().get(0).delta().content().orElse("")).collect(Collectors.joining());
    }

    @Test
    void anOpenAiStreamEndsAtDone() throws Exception {
        List<String> events = new ArrayList<>(OpenAiWire.textStream("gpt-4o", "Hel", "lo"));
        events.add(events.size() - 1, "data: {\"id\":\"chatcmpl-up3\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,"
                + "\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n");

        assertThat(streamEndsPromptly("gpt", events)).isEqualTo("Hello");
    }

    @Test
    void anAnthropicStreamEndsAtMessageStop() throws Exception {
        assertThat(streamEndsPromptly("claude", Fixtures.events("anthropic/text.sse"))).isNotEmpty();
    }

    @Test
    void aGeminiStreamEndsAtTheChunkThatFinishesItsCandidate() throws Exception {
        assertThat(streamEndsPromptly("gemini", Fixtures.events("gemini/text.sse"))).isEqualTo("Grüße aus 東京 🌍! Ça va?");
    }
}
