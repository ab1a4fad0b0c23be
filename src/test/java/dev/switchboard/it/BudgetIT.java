package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Budgets and the ledger on the deployed WAR (docs/spend.md): a spent budget reaches OpenAI's SDK
 * as insufficient_quota before any provider is called, and an answered request is written to the
 * embedded database.
 */
@ExtendWith(ArquillianExtension.class)
class BudgetIT {
    static final String SPENT = "sb-it-budget-spent";
    static final String FREE = "sb-it-budget-free";
    static final Pattern WRITTEN = Pattern.compile("switchboard_ledger_rows_total\\{outcome=\"written\"} ([0-9.E]+)");
    static final Pattern REFUSED = Pattern.compile(
            "switchboard_requests_total\\{endpoint=\"chat_completions\"[^}]*status=\"429\"[^}]*} ([0-9.E]+)");
    /** A name of this run's own: the server's embedded database keeps earlier runs' spend. */
    static final String SMALL = "small-" + Long.toHexString(System.nanoTime());
    static MockUpstream upstream;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        return GatewayDeployment.withConfig("budget", """
                {
                  "providers": {"openai": {"type": "openai", "baseUrl": "%s/v1", "apiKey": "sk-it-budget"}},
                  "models": {"gpt-4.1-mini": {"provider": "openai"}},
                  "teams": {"broke": {"budget": {"usd": 0, "period": "month"}}},
                  "tokens": [{"name": "spent", "token": "%s", "budget": {"usd": 0, "period": "day"}},
                             {"name": "free", "token": "%s", "metrics": true},
                             {"name": "team-member", "token": "sb-it-budget-team", "team": "broke"},
                             {"name": "admin", "token": "sb-it-budget-admin", "admin": true},
                             {"name": "%s", "token": "sb-it-budget-small", "budget": {"usd": 0.000003, "period": "day"}}]
                }
                """.formatted(upstream.url(), SPENT, FREE, SMALL));
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    private OpenAIClient client(String token) {
        return OpenAIOkHttpClient.builder().baseUrl(base.toString() + "v1").apiKey(token)
                .timeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void aSpentBudgetIsInsufficientQuotaBeforeAnyProviderCall() throws Exception {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4.1-mini")
                .addUserMessage("hi").build();
        // The SDK keeps its default retries (two): x-should-retry: false must stop them.
        double refusedBefore = metric(REFUSED);
        int upstreamBefore = upstream.exchanges().size();
        assertThatThrownBy(() -> client(SPENT).chat().completions().create(params))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.code()).contains("insufficient_quota");
                    assertThat(e.type()).contains("insufficient_quota");
                    assertThat(e.headers().values("x-should-retry")).containsExactly("false");
                    assertThat(e.getMessage()).contains("token 'spent'").contains("day budget of $0")
                            .contains("resets at");
                });
        // Counted as each request ends, which may be just after its client has the answer.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (metric(REFUSED) - refusedBefore < 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(300);
        assertThat(metric(REFUSED) - refusedBefore).as("requests the SDK sent").isEqualTo(1);
        assertThatThrownBy(() -> client("sb-it-budget-team").chat().completions().create(params))
                .isInstanceOfSatisfying(RateLimitException.class,
                        e -> assertThat(e.getMessage()).contains("team 'broke'").contains("month budget"));
        assertThat(upstream.exchanges()).hasSize(upstreamBefore);
    }

    static MockUpstream.Reply completion() {
        return MockUpstream.Reply.json(200, """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4.1-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}""");
    }

    @Test
    void aBudgetIsSpentByWhatRequestsCost() throws Exception {
        // gpt-4.1-mini's default price: 5 input tokens at $0.40 and 1 output token at $1.60 per million
        // are $0.0000036, past this token's $0.000003 a day.
        upstream.enqueue(completion());
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4.1-mini")
                .addUserMessage("hi").build();
        assertThat(client("sb-it-budget-small").chat().completions().create(params).choices()).hasSize(1);
        // A request's cost counts when it ends, which may be just after its client has the answer.
        Thread.sleep(200);
        assertThatThrownBy(() -> client("sb-it-budget-small").chat().completions().create(params))
                .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.getMessage())
                        .contains("token '" + SMALL + "'").contains("$0.0000036 this period"));
    }

    @Test
    void anAnsweredRequestIsWrittenToTheLedger() throws Exception {
        upstream.enqueue(completion());
        double before = metric(WRITTEN);
        ChatCompletion completion = client(FREE).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4.1-mini").addUserMessage("hi").build());
        assertThat(completion.choices()).hasSize(1);
        // The usage API: admin tokens only, OpenAI's page of daily buckets, grouped by token. (The
        // server's embedded database outlives deployments, so earlier runs' rows may be there too.)
        // The writer batches rows for up to LedgerWriter.LINGER, and other tests' rows count in the
        // same metric, so wait for this token's row itself.
        String query = "v1/organization/usage/completions?start_time=" + (System.currentTimeMillis() / 1000 - 86_400)
                + "&bucket_width=1d&group_by=token";
        assertThat(get(query, FREE).statusCode()).isEqualTo(403);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> usage = get(query, "sb-it-budget-admin");
        while (!usage.body().contains("\"token\":\"free\"")) {
            assertThat(System.nanoTime()).as("the row written within 10 s").isLessThan(deadline);
            Thread.sleep(100);
            usage = get(query, "sb-it-budget-admin");
        }
        assertThat(metric(WRITTEN)).isGreaterThanOrEqualTo(before + 1);
        assertThat(usage.statusCode()).isEqualTo(200);
        assertThat(usage.body()).startsWith("{\"object\":\"page\",\"data\":[{\"object\":\"bucket\"")
                .contains("\"object\":\"organization.usage.completions.result\",\"input_tokens\":")
                .contains("\"token\":\"free\"").contains("\"has_more\":false");
        HttpResponse<String> budgets = get("v1/organization/budgets", "sb-it-budget-admin");
        assertThat(budgets.body()).contains("\"owner\":\"token\",\"name\":\"spent\",\"period\":\"day\"")
                .contains("\"owner\":\"team\",\"name\":\"broke\"").contains("\"source\":\"node\"")
                .as("no Redis: every figure is the node's own").endsWith("\"redis\":null}");
        assertThat(get("v1/organization/costs?start_time=x", "sb-it-budget-admin").statusCode()).isEqualTo(400);
        HttpResponse<String> costs = get("v1/organization/costs?start_time=" + (System.currentTimeMillis() / 1000 - 86_400)
                + "&group_by=token", "sb-it-budget-admin");
        Matcher free = Pattern.compile("\"amount\":\\{\"value\":([0-9.E-]+),\"currency\":\"usd\"},\"line_item\":null,"
                + "\"project_id\":null,\"token\":\"free\"").matcher(costs.body());
        assertThat(free.find()).as("the free token's cost in " + costs.body()).isTrue();
        assertThat(Double.parseDouble(free.group(1))).isGreaterThanOrEqualTo(0.0000036);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the series of {@code metric} whose labels match. */
    private double metric(Pattern series) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "metrics"))
                .header("Authorization", "Bearer " + FREE).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        Matcher matcher = series.matcher(metrics.body());
        double sum = 0;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(1));
        }
        return sum;
    }
}
