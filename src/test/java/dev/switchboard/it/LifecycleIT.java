package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Readiness and configuration hot reload through the deployed WAR. The tests rewrite the
 * configuration file the deployment reads, so they run in a fixed order.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleIT {
    static final String TOKEN = "sb-it-lifecycle";
    static final String NEW_TOKEN = "sb-it-life-new";
    static MockUpstream upstream;
    static Path configFile;

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    static String config(String tokens) {
        return """
                {
                  "providers": {"flaky": {"type": "openai", "baseUrl": "%s/v1", "retry": {"attempts": 1},
                                          "cooldown": {"failures": 1, "periodMs": 2000}}},
                  "models": {"flaky-model": {"provider": "flaky"}},
                  "tokens": [%s]
                }
                """.formatted(upstream.url(), tokens);
    }

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        WebArchive archive = GatewayDeployment.withConfig("lifecycle", config(
                "{\"name\": \"life\", \"token\": \"" + TOKEN + "\"}"));
        configFile = Path.of("target", "it-config", "lifecycle.json").toAbsolutePath();
        return archive;
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    private HttpResponse<String> chat(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "v1/chat/completions"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"flaky-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Writes the file the way configuration management does: a new file renamed over the old one. */
    private static void rewriteConfig(String text) throws Exception {
        Path temporary = configFile.resolveSibling("lifecycle.json.tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, configFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private int awaitStatus(String token, int expected, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        int status;
        do {
            upstream.fallback(request -> MockUpstream.Reply.json(200, OpenAiWire.completion("flaky-model", "ok")));
            status = chat(token).statusCode();
            if (status == expected) {
                return status;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        return status;
    }

    @Test
    @Order(1)
    void readinessIsServedWithoutATokenAndStaysReadyWhileEveryTargetCoolsDown() throws Exception {
        assertThat(get("healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(Json.parseObject(ready.body()).getString("status")).isEqualTo("ready");

        upstream.enqueue(MockUpstream.Reply.json(500, OpenAiWire.error("down", "server_error", null)));
        assertThat(chat(TOKEN).statusCode()).isEqualTo(502);

        HttpResponse<String> cooling = get("readyz");
        assertThat(cooling.statusCode()).as("a provider outage must not take every node out of the load balancer")
                .isEqualTo(200);
        assertThat(Json.parseObject(cooling.body()).getString("status")).isEqualTo("ready");

        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion("flaky-model", "back")));
        HttpResponse<String> answered = chat(TOKEN);
        assertThat(answered.statusCode()).as("the cooling target is still tried, and it answers").isEqualTo(200);
        assertThat(answered.headers().firstValue("x-switchboard-attempts")).hasValue("1");
    }

    @Test
    @Order(2)
    void aValidChangeIsAppliedToNewRequests() throws Exception {
        assertThat(chat(NEW_TOKEN).statusCode()).isEqualTo(401);
        rewriteConfig(config("{\"name\": \"life\", \"token\": \"" + TOKEN + "\"},"
                + "{\"name\": \"newcomer\", \"token\": \"" + NEW_TOKEN + "\"}"));

        assertThat(awaitStatus(NEW_TOKEN, 200, 10_000)).isEqualTo(200);
        assertThat(awaitStatus(TOKEN, 200, 1_000)).isEqualTo(200);
    }

    @Test
    @Order(3)
    void anInvalidChangeIsRejectedWithOneLineNamingTheFieldAndTheOldConfigurationStays() throws Exception {
        TomcatLogs.Mark before = TomcatLogs.mark();
        rewriteConfig(config("{\"name\": \"broken\"}"));

        String line = TomcatLogs.awaitLine(before, "catalina.", l -> l.contains("lifecycle.json rejected")
                && l.contains("tokens[0]"), 10_000);
        assertThat(line).contains("keeping the previous configuration");
        assertThat(awaitStatus(NEW_TOKEN, 200, 1_000)).isEqualTo(200);
    }

    @Test
    @Order(4)
    void aRevokedTokenStopsWorkingOnTheNextRequest() throws Exception {
        rewriteConfig(config("{\"name\": \"newcomer\", \"token\": \"" + NEW_TOKEN + "\"}"));

        assertThat(awaitStatus(TOKEN, 401, 10_000)).isEqualTo(401);
        assertThat(awaitStatus(NEW_TOKEN, 200, 1_000)).isEqualTo(200);
    }
}
