package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Metrics, the access log and readiness through the deployed WAR. */
@ExtendWith(ArquillianExtension.class)
class OperationsIT {
    static final String TOKEN = "sb-it-ops-user";
    static final String SCRAPER = "sb-it-ops-scraper";

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        return GatewayDeployment.withConfig("operations", """
                {
                  "providers": {
                    "echo": {"type": "echo"}
                  },
                  "models": {"echo": {"provider": "echo"}},
                  "tokens": [
                    {"name": "user", "token": "%s", "models": ["echo"]},
                    {"name": "scraper", "token": "%s", "metrics": true, "models": []}
                  ]
                }
                """.formatted(TOKEN, SCRAPER));
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(base + "v1").apiKey(TOKEN).maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double sample(String metrics, String name, Map<String, String> labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(metrics);
        double total = 0;
        boolean found = false;
        while (matcher.find()) {
            String labelText = matcher.group(1);
            if (labels.entrySet().stream().allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                total += Double.parseDouble(matcher.group(2));
                found = true;
            }
        }
        return found ? total : Double.NaN;
    }

    /** How much a series grew between two scrapes; a series absent before counts from zero. */
    private static double delta(String before, String after, String name, Map<String, String> labels) {
        double old = sample(before, name, labels);
        return sample(after, name, labels) - (Double.isNaN(old) ? 0 : old);
    }

    @Test
    void metricsCountAKnownSequenceOfRequestsAndNeedAMetricsToken() throws Exception {
        // Other tests of this class may have run first: compare with a scrape taken before.
        String before = get("metrics", SCRAPER).body();
        OpenAIClient client = client();
        for (int i = 0; i < 2; i++) {
            client.chat().completions().create(ChatCompletionCreateParams.builder().model("echo")
                    .addUserMessage("one two three").build());
        }
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("echo").addUserMessage("four five")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> { });
        }
        HttpResponse<String> notFound = http.send(HttpRequest.newBuilder(URI.create(base + "v1/chat/completions"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"whatever-the-client-says\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notFound.statusCode()).isEqualTo(404);

        assertThat(get("metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("metrics", TOKEN).statusCode()).as("a token without \"metrics\": true").isEqualTo(403);
        HttpResponse<String> scrape = get("metrics", SCRAPER);
        assertThat(scrape.statusCode()).isEqualTo(200);
        String metrics = scrape.body();

        assertThat(delta(before, metrics, "switchboard_requests_total",
                Map.of("model", "echo", "provider", "echo", "status", "200", "stream", "false"))).isEqualTo(2);
        assertThat(delta(before, metrics, "switchboard_requests_total",
                Map.of("model", "echo", "provider", "echo", "status", "200", "stream", "true"))).isEqualTo(1);
        assertThat(delta(before, metrics, "switchboard_requests_total",
                Map.of("model", "none", "provider", "none", "status", "404"))).isEqualTo(1);
        assertThat(metrics).as("client input never becomes a label").doesNotContain("whatever-the-client-says");
        assertThat(delta(before, metrics, "switchboard_tokens_total",
                Map.of("kind", "completion", "model", "echo", "token", "user"))).isEqualTo(3 + 3 + 2);
        assertThat(delta(before, metrics, "switchboard_upstream_attempts_total",
                Map.of("provider", "echo", "outcome", "ok"))).isEqualTo(3);
        assertThat(delta(before, metrics, "switchboard_request_duration_seconds_count",
                Map.of("model", "echo", "provider", "echo"))).isEqualTo(3);
        assertThat(delta(before, metrics, "switchboard_time_to_first_token_seconds_count",
                Map.of("model", "echo", "provider", "echo"))).isEqualTo(1);
        assertThat(metrics).containsPattern("(?m)^switchboard_active_streams 0\\.0$");
        assertThat(metrics).contains("jvm_memory_used_bytes").contains("jvm_threads_current");
    }

    @Test
    void theAccessLogLineOfAStreamedRequestHasEveryFieldAndNoSecret() throws Exception {
        String requestId = "ops-it-" + System.nanoTime();
        String secretContent = "the secret plan is tuesday";
        TomcatLogs.Mark before = TomcatLogs.mark();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "v1/chat/completions"))
                .header("Authorization", "Bearer " + TOKEN).header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"echo\",\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + secretContent + "\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);

        String line = TomcatLogs.awaitLine(before, "switchboard-access.", l -> l.contains(requestId), 10_000);
        JsonObject entry = Json.parseObject(line);
        assertThat(entry.keySet()).contains("time", "request_id", "token", "requested_model", "model", "provider",
                "stream", "status", "attempts", "ttft_ms", "duration_ms", "prompt_tokens", "completion_tokens", "client",
                "team", "cost_usd", "usage_estimated");
        assertThat(entry.getString("token")).isEqualTo("user");
        assertThat(entry.getString("requested_model")).isEqualTo("echo");
        assertThat(entry.getString("model")).isEqualTo("echo");
        assertThat(entry.getString("provider")).isEqualTo("echo");
        assertThat(entry.getBoolean("stream")).isTrue();
        assertThat(entry.getInt("status")).isEqualTo(200);
        assertThat(entry.getInt("attempts")).isEqualTo(1);
        assertThat(entry.getJsonNumber("ttft_ms").longValue()).isNotNegative();
        assertThat(entry.getJsonNumber("completion_tokens").longValue()).isEqualTo(5);
        assertThat(line).doesNotContain(TOKEN).doesNotContain(secretContent).doesNotContainIgnoringCase("authorization");
    }
}
