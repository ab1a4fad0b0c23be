package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.proto.trace.v1.Span;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undeploying with tracing on leaves nothing behind (docs/operations.md#tracing): on the Tomcat of
 * the {@code tomcat-tracing} failsafe run (tracing switched on by {@code -Dotel.exporter.otlp.endpoint}),
 * the test deploys the WAR itself, exports a span to the {@link OtlpReceiver} and records an
 * exemplar, undeploys, and then neither Tomcat's leak detection warns about the application nor
 * is any thread the application or its libraries started still alive in Tomcat's JVM, and the
 * application's class loader is collected (both read over the JMX port Arquillian opens).
 */
@ExtendWith(ArquillianExtension.class)
class TracingRedeployIT {
    static final String NAME = "redeploy";
    static final String TOKEN = "sb-it-redeploy";
    static final long WAIT_MS = 10_000;
    /** Longer than the 5 s the last spans get and the exporter's 10 s timeout together. */
    static final long STALL_MS = 20_000;
    /** How long a thread the application's stop ended may take to be gone. */
    static final long SETTLE_MS = 2_000;
    /**
     * The threads Switchboard and its libraries start: its own, the span processor's, the OTLP
     * senders' (the JDK HttpClient's, the JDK sender's executor, OkHttp's), the Prometheus
     * exemplar sampler's scheduler, HttpClient 5's I/O reactor, Hikari's and Lettuce's.
     */
    static final Pattern STARTED_BY_SWITCHBOARD = Pattern.compile(
            "switchboard-.*|BatchSpanProcessor_WorkerThread-.*|HttpClient-\\d+-.*|jdkhttp-.*|OkHttp.*"
                    + "|prometheus-metrics-scheduler-.*|httpclient-.*|.*housekeeper.*|lettuce-.*");

    static MockUpstream upstream;
    static OtlpReceiver collector;

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = NAME, managed = false, testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        String otlpPort = System.getProperty("it.otlp.port");
        if (otlpPort != null) {
            collector = new OtlpReceiver(Integer.parseInt(otlpPort));
        }
        return GatewayDeployment.withConfig(NAME, """
                {
                  "providers": {"mock": {"type": "openai", "baseUrl": "%s/v1"}},
                  "models": {"traced-model": {"provider": "mock"}},
                  "tokens": [{"name": "it", "token": "%s"}],
                  "metrics": {"public": true}
                }
                """.formatted(upstream.url(), TOKEN));
    }

    @AfterAll
    static void stop() throws Exception {
        upstream.close();
        if (collector != null) {
            collector.close();
        }
    }

    private static String base() {
        return "http://localhost:" + System.getProperty("it.http.port") + "/" + NAME + "/";
    }

    @Test
    void undeployingWithTracingOnLeavesNoThreadAndNoLeakWarning() throws Exception {
        deployUseAndUndeploy(() -> {
            HttpClient http = HttpClient.newHttpClient();
            String traceId = tracedChat(http);
            collector.await(span -> span.traceId().equals(traceId)
                    && span.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER, 1, WAIT_MS);
            // The request's duration was observed under its span: the exemplar sampler has run.
            String scrape = http.send(HttpRequest.newBuilder(URI.create(base() + "metrics"))
                    .header("Accept", "application/openmetrics-text; version=1.0.0").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scrape).contains("trace_id=\"" + traceId + "\"");

            deployer.undeploy(NAME);
        });
    }

    /**
     * A collector that takes the last export and never answers: past the 5 s the spans get, the
     * export is ended rather than left running (with the sender's thread) until the exporter's
     * timeout, after the application is gone.
     */
    @Test
    void undeployingWhileTheCollectorDoesNotAnswerLeavesNothingBehindEither() throws Exception {
        deployUseAndUndeploy(() -> {
            collector.stall(STALL_MS);
            try {
                tracedChat(HttpClient.newHttpClient());
                long deadline = System.currentTimeMillis() + WAIT_MS;
                while (collector.stalled() == 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(collector.stalled()).as("exports waiting at the collector").isPositive();

                deployer.undeploy(NAME);
            } finally {
                collector.stall(0);
            }
        });
    }

    /** What a test does between deploying the webapp and having undeployed it. */
    @FunctionalInterface
    private interface WhileDeployed {
        void run() throws Exception;
    }

    /**
     * Deploys the webapp, runs {@code whileDeployed} (which ends by undeploying it), then checks
     * that the webapp left nothing behind.
     */
    private void deployUseAndUndeploy(WhileDeployed whileDeployed) throws Exception {
        // -Dit.test selects it in every failsafe run; only tomcat-tracing's Tomcat traces.
        assumeTrue(collector != null, "runs only in the tomcat-tracing failsafe execution");
        try (TomcatJmx tomcat = TomcatJmx.connect()) {
            ThreadMXBean threads = tomcat.threads();
            Map<Long, String> before = alive(threads);
            TomcatLogs.Mark mark = TomcatLogs.mark();
            deployer.deploy(NAME);

            whileDeployed.run();

            assertNothingLeftBehind(mark, tomcat, threads, before);
        }
    }

    /** A chat completion in a new trace, answered 200; returns the trace id. */
    private static String tracedChat(HttpClient http) throws Exception {
        String traceId = TracingIT.hex(16);
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion("traced-model", "done")));
        HttpResponse<String> clientResponse = http.send(HttpRequest.newBuilder(URI.create(base() + "v1/chat/completions"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("traceparent", "00-" + traceId + "-" + TracingIT.hex(8) + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"traced-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(clientResponse.statusCode()).isEqualTo(200);
        return traceId;
    }

    private static void assertNothingLeftBehind(TomcatLogs.Mark mark, TomcatJmx tomcat, ThreadMXBean threads,
            Map<Long, String> before) throws Exception {
        assertThat(TomcatLogs.leakWarnings(mark, NAME)).as("Tomcat's leak detection warnings about the webapp").isEmpty();
        // A thread whose work ended with the application's stop may still be on its way out.
        long deadline = System.currentTimeMillis() + SETTLE_MS;
        List<String> left;
        do {
            Map<Long, String> alive = alive(threads);
            alive.keySet().removeAll(before.keySet());
            left = alive.values().stream().filter(name -> STARTED_BY_SWITCHBOARD.matcher(name).matches()).toList();
        } while (!left.isEmpty() && System.currentTimeMillis() < deadline && sleep(50));
        assertThat(left).as("threads started while the webapp ran, alive after its undeploy").isEmpty();
        assertThat(tomcat.classLoaderKept("/" + NAME)).as("the undeployed webapp's class loader is still reachable")
                .isFalse();
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private static Map<Long, String> alive(ThreadMXBean threads) {
        return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds())).filter(Objects::nonNull)
                .collect(Collectors.toMap(ThreadInfo::getThreadId, ThreadInfo::getThreadName, (a, b) -> a,
                        java.util.HashMap::new));
    }
}
