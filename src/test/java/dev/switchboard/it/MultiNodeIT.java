package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import dev.switchboard.state.TestRedis;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two gateway nodes sharing one Redis (docs/operations.md#running-several-nodes): node A is the
 * real WAR on the managed Tomcat, node B the same WAR on an embedded Jetty this test starts, both
 * with the same configuration and a Redis of the test's own, so that the test can kill it. A
 * token's rpm holds across both to the request and its tpm within one request's tokens; a target
 * failing on A is avoided by B within a second; a success on B ends the cooldown for A; A's
 * budgets endpoint reports what B spent (through Redis: each node has its own embedded database);
 * and killing Redis changes nothing for clients but the metrics (the budgets endpoint says it
 * reports the node's own figures). Each Redis command may take a second
 * here: on a busy machine a 100 ms one can time out, and a node that then decides alone is right,
 * but not what this test counts.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeIT {
    static final String TOKEN = "sb-it-multinode";
    static final String RPM_TOKEN = "sb-it-multi-rpm";
    static final String TPM_TOKEN = "sb-it-multi-tpm";
    /** Requests per minute of RPM_TOKEN, for both nodes together. */
    static final int RPM = 6;
    /** Tokens per minute of TPM_TOKEN; every mock completion reports 15 (OpenAiWire.completion). */
    static final int TPM = 40;
    static final int TOKENS_PER_REQUEST = 15;
    static final String BUDGET_TOKEN = "sb-it-multi-budget";
    static final String ADMIN_TOKEN = "sb-it-multi-admin";
    /**
     * A name of this run's own: each node's embedded H2 file outlives the run, and a budget's
     * shared counter is seeded from it.
     */
    static final String BUDGET_NAME = "budget-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    /** What a request costs: the mock's 15 tokens at $1 per million. */
    static final String REQUEST_USD = "0.000015";

    static MockUpstream upstream;
    static TestRedis.Owned redis;
    static Path configFile;
    static volatile boolean flakyDown = true;
    static Server jetty;
    static String nodeB;

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        upstream.fallback(request -> request.body().contains("\"m-flaky\"") && flakyDown
                ? MockUpstream.Reply.json(500, OpenAiWire.error("down", "server_error", null))
                : MockUpstream.Reply.json(200, OpenAiWire.completion("m", "ok")));
        redis = TestRedis.own();
        WebArchive archive = GatewayDeployment.withConfig("multinode", """
                {
                  "redis": {"url": "%1$s", "timeoutMs": 1000, "keyPrefix": "%2$s"},
                  "providers": {
                    "mock":  {"type": "openai", "baseUrl": "%3$s/v1", "retry": {"attempts": 1}},
                    "flaky": {"type": "openai", "baseUrl": "%3$s/v1", "retry": {"attempts": 1},
                              "cooldown": {"failures": 1, "periodMs": 60000}}
                  },
                  "models": {"m-good": {"provider": "mock", "pricing": {"input": 1, "output": 1}},
                             "m-flaky": {"provider": "flaky"}},
                  "aliases": {"pair": ["m-flaky", "m-good"]},
                  "metrics": {"public": true},
                  "tokens": [
                    {"name": "it", "token": "%4$s"},
                    {"name": "rpm", "token": "%5$s", "rpm": %6$d},
                    {"name": "tpm", "token": "%7$s", "tpm": %8$d},
                    {"name": "%9$s", "token": "%10$s", "budget": {"usd": 1, "period": "day"}},
                    {"name": "admin", "token": "%11$s", "admin": true}
                  ]
                }
                """.formatted(redis.url(), TestRedis.uniquePrefix(), upstream.url(), TOKEN, RPM_TOKEN, RPM,
                TPM_TOKEN, TPM, BUDGET_NAME, BUDGET_TOKEN, ADMIN_TOKEN));
        configFile = Path.of("target", "it-config", "multinode.json").toAbsolutePath();
        return archive;
    }

    /** Node B: the same WAR and configuration file on an embedded Jetty 12 (ee10). */
    @BeforeAll
    static void startNodeB() throws Exception {
        jetty = new Server(0);
        WebAppContext context = new WebAppContext();
        context.setWar(System.getProperty("switchboard.war", "target/switchboard.war"));
        context.setContextPath("/");
        context.setInitParameter("switchboard.config", configFile.toString());
        context.setThrowUnavailableOnStartupException(true);
        jetty.setHandler(context);
        jetty.start();
        nodeB = "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/";
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        upstream.close();
        redis.close();
    }

    private String nodeA() {
        return base.toString();
    }

    private HttpResponse<String> chat(String node, String token, String model) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(node + "v1/chat/completions"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private double metric(String node, String series) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(node + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
        return value.find() ? Double.parseDouble(value.group(1)) : Double.NaN;
    }

    @Test
    @Order(1)
    void aTokensRpmHoldsAcrossBothNodesToTheRequest() throws Exception {
        int admitted = 0;
        int refused = 0;
        for (int i = 0; i < 2 * RPM; i++) {
            HttpResponse<String> response = chat(i % 2 == 0 ? nodeA() : nodeB, RPM_TOKEN, "m-good");
            if (response.statusCode() == 200) {
                admitted++;
            } else {
                assertThat(response.statusCode()).isEqualTo(429);
                assertThat(response.body()).contains("requests per minute");
                refused++;
            }
        }
        assertThat(admitted).as(RPM + " per minute for both nodes together, not " + RPM + " each").isEqualTo(RPM);
        assertThat(refused).isEqualTo(RPM);
    }

    @Test
    @Order(2)
    void aTokensTpmHoldsAcrossBothNodesWithinOneRequestsTokens() throws Exception {
        int admitted = 0;
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> response = chat(i % 2 == 0 ? nodeA() : nodeB, TPM_TOKEN, "m-good");
            if (response.statusCode() == 200) {
                admitted++;
            } else {
                assertThat(response.statusCode()).isEqualTo(429);
                assertThat(response.body()).contains("tokens per minute");
            }
            // Tokens are counted when a request ends, after its answer is on its way: give the
            // count its round trip to Redis before the next request reads it.
            Thread.sleep(100);
        }
        assertThat(admitted * TOKENS_PER_REQUEST).as("tokens admitted: at most tpm plus one request's")
                .isGreaterThanOrEqualTo(TPM).isLessThanOrEqualTo(TPM + TOKENS_PER_REQUEST);
    }

    @Test
    @Order(3)
    void aTargetFailingOnOneNodeIsAvoidedByTheOtherWithinASecond() throws Exception {
        HttpResponse<String> onA = chat(nodeA(), TOKEN, "pair");
        assertThat(onA.statusCode()).isEqualTo(200);
        assertThat(onA.headers().firstValue("x-switchboard-attempts")).as("m-flaky failed, m-good answered").hasValue("2");
        long failedAt = System.nanoTime();

        HttpResponse<String> onB;
        do {
            Thread.sleep(50);
            onB = chat(nodeB, TOKEN, "pair");
        } while (onB.headers().firstValue("x-switchboard-attempts").orElse("").equals("2")
                && System.nanoTime() - failedAt < 2_000_000_000L);
        long millis = (System.nanoTime() - failedAt) / 1_000_000;
        assertThat(onB.headers().firstValue("x-switchboard-model")).hasValue("m-good");
        assertThat(onB.headers().firstValue("x-switchboard-attempts")).as("m-flaky behind m-good on B too").hasValue("1");
        assertThat(millis).as("B learned of A's failure within a second").isLessThan(1_000);
    }

    @Test
    @Order(4)
    void aSuccessOnOneNodeEndsTheCooldownOnTheOther() throws Exception {
        flakyDown = false;
        HttpResponse<String> onA = chat(nodeA(), TOKEN, "pair");
        assertThat(onA.headers().firstValue("x-switchboard-model")).as("still cooling on A").hasValue("m-good");

        HttpResponse<String> onB = chat(nodeB, TOKEN, "m-flaky");
        assertThat(onB.statusCode()).as("a cooling target alone is still tried, and it answers").isEqualTo(200);
        long answeredAt = System.nanoTime();

        do {
            Thread.sleep(50);
            onA = chat(nodeA(), TOKEN, "pair");
        } while (!onA.headers().firstValue("x-switchboard-model").orElse("").equals("m-flaky")
                && System.nanoTime() - answeredAt < 2_000_000_000L);
        assertThat(onA.headers().firstValue("x-switchboard-model")).as("m-flaky first again on A").hasValue("m-flaky");
        assertThat((System.nanoTime() - answeredAt) / 1_000_000).isLessThan(1_000);
    }

    /** BUDGET_NAME's budget as a node's budgets endpoint reports it, and whether Redis answered it. */
    private record Budget(JsonObject budget, String redis) {
        String source() {
            return budget.getString("source");
        }

        BigDecimal spent() {
            return budget.getJsonNumber("spent_usd").bigDecimalValue();
        }
    }

    private Budget budget(String node) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(node + "v1/organization/budgets"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonObject list = Json.parseObject(answer.body());
        for (JsonValue budget : list.getJsonArray("data")) {
            if (budget.asJsonObject().getString("name").equals(BUDGET_NAME)) {
                return new Budget(budget.asJsonObject(), list.isNull("redis") ? null : list.getString("redis"));
            }
        }
        throw new AssertionError("no budget " + BUDGET_NAME + " in " + answer.body());
    }

    /**
     * Each node has its own embedded database, so A learns of what B spent only through Redis: its
     * budgets endpoint reports the shared counter, as its budget checks read it.
     */
    @Test
    @Order(5)
    void theBudgetsEndpointReportsWhatEveryNodeSpent() throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!budget(nodeA()).source().equals("redis") || !budget(nodeB).source().equals("redis")) {
            assertThat(System.currentTimeMillis()).as("the budget's counter seeded in Redis").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(budget(nodeA()).spent()).isZero();

        assertThat(chat(nodeB, BUDGET_TOKEN, "m-good").statusCode()).isEqualTo(200);
        BigDecimal spent = new BigDecimal(REQUEST_USD);
        // Counted when the request ends, just after its answer went out.
        while (budget(nodeA()).spent().compareTo(spent) != 0) {
            assertThat(System.currentTimeMillis()).as("B's spend reported by A").isLessThan(deadline + 10_000);
            Thread.sleep(100);
        }
        Budget onA = budget(nodeA());
        assertThat(onA.redis()).isEqualTo("answered");
        assertThat(onA.source()).isEqualTo("redis");
        assertThat(onA.budget().getJsonNumber("remaining_usd").bigDecimalValue()).isEqualByComparingTo("0.999985");
        assertThat(budget(nodeB).spent()).isEqualByComparingTo(spent);
    }

    @Test
    @Order(6)
    void killingRedisChangesNothingForClientsButTheMetric() throws Exception {
        assertThat(metric(nodeA(), "switchboard_redis_up")).isEqualTo(1.0);
        assertThat(metric(nodeB, "switchboard_redis_up")).isEqualTo(1.0);
        double outagesBefore = metric(nodeA(), "switchboard_redis_outages_total");

        redis.stop();
        for (int i = 0; i < 6; i++) {
            String node = i % 2 == 0 ? nodeA() : nodeB;
            assertThat(chat(node, TOKEN, "pair").statusCode()).isEqualTo(200);
            assertThat(chat(node, TOKEN, "m-good").statusCode()).isEqualTo(200);
        }
        assertThat(chat(nodeA(), RPM_TOKEN, "m-good").statusCode()).as("a limited token too, counted by the node alone")
                .isEqualTo(200);
        assertThat(metric(nodeA(), "switchboard_redis_up")).isZero();
        assertThat(metric(nodeA(), "switchboard_redis_outages_total")).isEqualTo(outagesBefore + 1);
        Budget alone = budget(nodeA());
        assertThat(alone.redis()).as("the budgets endpoint says it reports A's own figures").isEqualTo("unavailable");
        assertThat(alone.source()).isEqualTo("node");
        assertThat(alone.spent()).as("A never saw B's spend itself").isZero();

        redis.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while ((metric(nodeA(), "switchboard_redis_up") != 1.0 || metric(nodeB, "switchboard_redis_up") != 1.0)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(metric(nodeA(), "switchboard_redis_up")).as("picked up again without a restart").isEqualTo(1.0);
        assertThat(metric(nodeB, "switchboard_redis_up")).isEqualTo(1.0);
        assertThat(chat(nodeB, TOKEN, "pair").statusCode()).isEqualTo(200);
    }
}
