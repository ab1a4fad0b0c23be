package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stopping the application with a stream in flight: the stream gets the grace period, then one
 * error event; new requests are refused; Tomcat's leak detection finds no thread or connection
 * left behind; and the application's class loader is collected (Tomcat's "find leaks", read over
 * the JMX port Arquillian opens, no longer lists the context). The test deploys and undeploys the
 * WAR itself.
 */
@ExtendWith(ArquillianExtension.class)
class ShutdownIT {
    static final String NAME = "shutdown";
    static final String TOKEN = "sb-it-shutdown";
    static final long GRACE_MS = 2_000;
    static MockUpstream upstream;

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = NAME, managed = false, testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        return GatewayDeployment.withConfig(NAME, """
                {
                  "providers": {
                    "mock": {"type": "openai", "baseUrl": "%s/v1"},
                    "dead": {"type": "openai", "baseUrl": "http://127.0.0.1:1/v1",
                             "retry": {"attempts": 1}, "cooldown": {"failures": 1, "periodMs": 60000}}
                  },
                  "models": {"slow": {"provider": "mock"}, "gone": {"provider": "dead"}},
                  "tokens": [{"name": "it", "token": "%s", "rpm": 1000}],
                  "metrics": {"public": true},
                  "shutdownGraceMs": %d
                }
                """.formatted(upstream.url(), TOKEN, GRACE_MS),
                // Tomcat holds a stopping context this long for requests in flight (see ROOT.xml).
                "unloadDelay=\"" + GRACE_MS + "\"");
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    private static String base() {
        return "http://localhost:" + System.getProperty("it.http.port") + "/" + NAME + "/";
    }

    private static HttpResponse<String> chat(HttpClient http, String model) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "v1/chat/completions"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aStreamInFlightGetsTheGracePeriodThenAnErrorEventAndNothingIsLeftBehind() throws Exception {
        TomcatLogs.Mark before = TomcatLogs.mark();
        deployer.deploy(NAME);
        // Each deployment reads the token estimates' table as it starts, not on the thread of its first estimate.
        assertThat(TomcatLogs.linesSince(before, "catalina.")).anyMatch(line -> line.contains("Switchboard started")
                && line.matches(".*o200k_base table read in [0-9]+ ms.*"));
        HttpClient http = HttpClient.newHttpClient();
        // Before the stream, everything that starts a thread or a connection pool somewhere: a
        // scrape, a completed call, and a target put into cooldown.
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base() + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("switchboard_active_streams");
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion("slow", "done")));
        assertThat(chat(http, "slow").statusCode()).isEqualTo(200);
        assertThat(chat(http, "gone").statusCode()).isEqualTo(502);
        assertThat(chat(http, "gone").headers().firstValue("x-switchboard-attempts")).as("cooling down, yet tried")
                .hasValue("1");
        upstream.enqueue(MockUpstream.Reply.trickle(List.of(), OpenAiWire.chunk("slow", "{\"content\":\"tick \"}", null), 100));
        HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base() + "v1/chat/completions"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        events.add(line.substring(6));
                    }
                }
            } catch (Exception e) {
                events.add("READ FAILED " + e);
            }
        });
        Thread.sleep(500);

        // While the undeploy below waits out the grace period, a new request arrives.
        CompletableFuture<Integer> whileDraining = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(500);
                return http.send(HttpRequest.newBuilder(URI.create(base() + "v1/chat/completions"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long stopping = System.nanoTime();
        // Arquillian's deployer works on the test thread only.
        deployer.undeploy(NAME);
        long stoppedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
        reading.get(10, TimeUnit.SECONDS);

        // Tomcat removes a stopping context from its request mapping before it tells the application
        // (it answers 404 itself); a container that still routes requests to a stopping application
        // gets Switchboard's own 503. Either way the request is refused, not served.
        assertThat(whileDraining.get(10, TimeUnit.SECONDS)).as("a new request while stopping").isIn(404, 503);

        int ticksDuringGrace = (int) events.stream().filter(e -> e.contains("tick")).count();
        assertThat(ticksDuringGrace).as("the stream kept flowing during the grace period").isGreaterThan(15);
        String last = events.get(events.size() - 1);
        assertThat(last).contains("\"error\"").contains("shutting_down");
        assertThat(events).doesNotContain("[DONE]");
        assertThat(stoppedAfterMillis).isGreaterThanOrEqualTo(GRACE_MS);
        assertThat(upstream.exchanges().get(0).awaitClosed(2000)).as("the upstream request was released").isPositive();

        assertThat(TomcatLogs.leakWarnings(before, NAME)).as("Tomcat's leak detection warnings about the webapp").isEmpty();
        try (TomcatJmx tomcat = TomcatJmx.connect()) {
            assertThat(tomcat.classLoaderKept("/" + NAME)).as("the undeployed webapp's class loader is still reachable")
                    .isFalse();
        }
    }
}
