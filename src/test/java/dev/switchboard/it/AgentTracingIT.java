package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.proto.trace.v1.Span;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Switchboard under the OpenTelemetry Java agent (docs/operations.md#tracing). The Tomcat of the
 * {@code tomcat-agent} failsafe run is started with {@code -javaagent:} the agent Maven copied into
 * {@code target/otel-agent}, exporting over OTLP/HTTP to the {@link OtlpReceiver} this test runs on
 * {@code it.agent.otlp.port}. That JVM also carries {@code -Dotel.exporter.otlp.endpoint}, which
 * without the agent makes Switchboard start an SDK of its own: here it must not, and must trace
 * through the agent's {@code GlobalOpenTelemetry} instead, its spans nested in the agent's. A
 * request is one trace: the agent's HTTP server span, Switchboard's {@code chat {model}} under it,
 * a client span per upstream attempt under that, and under each attempt the agent's HTTP client
 * span, whose {@code traceparent} is the one the upstream receives. A long stream to a slow client
 * goes whole through the agent's wrapping of the upstream call.
 */
@ExtendWith(ArquillianExtension.class)
class AgentTracingIT {
    /** The {@code telemetry.distro.name} the agent puts on its resource; an SDK of Switchboard's own has none. */
    static final String AGENT_DISTRO = "opentelemetry-java-instrumentation";
    /** The agent's instrumentation of Apache HttpClient 5, Switchboard's upstream client. */
    static final String AGENT_HTTP_CLIENT_SCOPE = "io.opentelemetry.apache-httpclient-5.0";
    /** Switchboard's instrumentation scope (Tracing.SCOPE). */
    static final String SWITCHBOARD_SCOPE = "dev.switchboard";
    static final long WAIT_MS = 10_000;

    static MockUpstream upstream;
    static OtlpReceiver collector;
    static TomcatLogs.Mark beforeDeployment;

    @ArquillianResource
    URL base;

    final HttpClient http = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        String otlpPort = System.getProperty("it.agent.otlp.port");
        if (otlpPort != null) {
            collector = new OtlpReceiver(Integer.parseInt(otlpPort));
            beforeDeployment = TomcatLogs.mark();
        }
        return GatewayDeployment.withConfig("agent-tracing", TracingIT.config(upstream));
    }

    @AfterAll
    static void stop() throws Exception {
        upstream.close();
        if (collector != null) {
            collector.close();
        }
    }

    @BeforeEach
    void onlyUnderTheAgent() {
        // -Dit.test=AgentTracingIT selects it in every failsafe run; only tomcat-agent's Tomcat runs the agent.
        assumeTrue(collector != null, "runs only in the tomcat-agent failsafe execution");
        upstream.reset();
    }

    @Test
    void aCompletionNestsUnderTheAgentsServerSpanAndSwitchboardStartsNoSdkOfItsOwn() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion(TracingIT.ANSWERING_MODEL, "Four.")));
        String traceId = TracingIT.hex(16);
        String callerSpanId = TracingIT.hex(8);

        HttpResponse<String> clientResponse = chat("00-" + traceId + "-" + callerSpanId + "-01",
                "{\"model\":\"traced-model\",\"max_tokens\":50,\"temperature\":0.5,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}");
        assertThat(clientResponse.statusCode()).isEqualTo(200);

        // The agent's HTTP server span continues the caller's trace.
        OtlpReceiver.Received server = collector.await(
                in(traceId).and(kind(Span.SpanKind.SPAN_KIND_SERVER)), 1, WAIT_MS).get(0);
        assertThat(server.scope().getName()).isNotEqualTo(SWITCHBOARD_SCOPE).startsWith("io.opentelemetry.");
        assertThat(server.parentSpanId()).isEqualTo(callerSpanId);
        assertThat(server.string("http.request.method")).isEqualTo("POST");
        assertThat(server.string("url.path")).endsWith("/v1/chat/completions");
        assertThat(server.number("http.response.status_code")).isEqualTo(200);

        // Switchboard's request span is its child, an internal span: the request keeps one server span.
        OtlpReceiver.Received request = collector.await(
                in(traceId).and(switchboards()).and(kind(Span.SpanKind.SPAN_KIND_INTERNAL)), 1, WAIT_MS).get(0);
        assertThat(request.parentSpanId()).isEqualTo(server.spanId());
        assertThat(request.span().getName()).isEqualTo("chat traced-model");
        assertThat(request.string("gen_ai.operation.name")).isEqualTo("chat");
        assertThat(request.string("gen_ai.request.model")).isEqualTo("traced-model");
        assertThat(request.number("http.response.status_code")).isEqualTo(200);

        OtlpReceiver.Received attempt = collector.await(
                in(traceId).and(switchboards()).and(kind(Span.SpanKind.SPAN_KIND_CLIENT)), 1, WAIT_MS).get(0);
        assertThat(attempt.parentSpanId()).isEqualTo(request.spanId());
        TracingIT.assertCompletionAttempt(attempt);

        // The upstream received one traceparent: the agent's HTTP client span, under the attempt.
        MockUpstream.Request upstreamRequest = upstream.awaitExchange(1, 5000).request();
        OtlpReceiver.Received httpClient = sentAs(upstreamRequest.header("traceparent"), traceId);
        assertThat(httpClient.parentSpanId()).isEqualTo(attempt.spanId());

        assertThat(collector.spans().stream().filter(in(traceId).and(kind(Span.SpanKind.SPAN_KIND_SERVER))))
                .as("server spans of the request").hasSize(1);
        // Every span came through the agent's exporter, Switchboard's too: no SDK of Switchboard's own exported.
        assertThat(collector.spans()).allSatisfy(received ->
                assertThat(received.resourceString("telemetry.distro.name")).isEqualTo(AGENT_DISTRO));
        List<String> log = TomcatLogs.linesSince(beforeDeployment, "catalina.");
        assertThat(log).anyMatch(line -> line.contains("tracing through the OpenTelemetry Java agent's GlobalOpenTelemetry"))
                .noneMatch(line -> line.contains("tracing on: spans exported as OTEL_* settings say"));
        TracingIT.assertNoSecrets(collector.spans());
    }

    @Test
    void aRetriedAttemptIsASiblingAndEachUpstreamRequestCarriesTheAgentsSpanUnderItsOwnAttempt() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(500, OpenAiWire.error("overloaded", "server_error", null)));
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion(TracingIT.ANSWERING_MODEL, "Four.")));
        String traceId = TracingIT.hex(16);

        HttpResponse<String> clientResponse = chat("00-" + traceId + "-" + TracingIT.hex(8) + "-01",
                "{\"model\":\"traced-model\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}");
        assertThat(clientResponse.statusCode()).isEqualTo(200);
        assertThat(clientResponse.headers().firstValue("x-switchboard-attempts")).hasValue("2");

        OtlpReceiver.Received request = collector.await(
                in(traceId).and(switchboards()).and(kind(Span.SpanKind.SPAN_KIND_INTERNAL)), 1, WAIT_MS).get(0);
        List<OtlpReceiver.Received> attempts = new ArrayList<>(collector.await(
                in(traceId).and(switchboards()).and(kind(Span.SpanKind.SPAN_KIND_CLIENT)), 2, WAIT_MS));
        attempts.sort(Comparator.comparingLong(a -> a.span().getStartTimeUnixNano()));
        assertThat(attempts).hasSize(2).allSatisfy(a -> assertThat(a.parentSpanId()).isEqualTo(request.spanId()));
        assertThat(attempts.get(0).string("error.type")).isEqualTo("server_error");
        assertThat(attempts.get(1).number("switchboard.try")).isEqualTo(2);

        for (int exchange = 1; exchange <= 2; exchange++) {
            MockUpstream.Request upstreamRequest = upstream.awaitExchange(exchange, 5000).request();
            OtlpReceiver.Received httpClient = sentAs(upstreamRequest.header("traceparent"), traceId);
            assertThat(httpClient.parentSpanId()).as("exchange %d", exchange)
                    .isEqualTo(attempts.get(exchange - 1).spanId());
        }
        TracingIT.assertNoSecrets(collector.spans());
    }

    @Test
    void aLongStreamReadSlowlyArrivesWholeWithTheAgentWrappingTheUpstreamCall() throws Exception {
        // Megabytes, far more than the per-stream window (UpstreamClient.STREAM_WINDOW_BYTES), to a
        // client that stops reading for a while: the stream's flow control goes through the
        // response consumer the agent wraps around Switchboard's.
        String[] pieces = new String[20_000];
        Arrays.fill(pieces, "word ");
        upstream.enqueue(MockUpstream.Reply.sse(OpenAiWire.textStream(TracingIT.ANSWERING_MODEL, pieces), 0));
        String traceId = TracingIT.hex(16);

        HttpResponse<InputStream> clientResponse = http.send(HttpRequest.newBuilder(
                        URI.create(base + "v1/chat/completions"))
                .header("Authorization", "Bearer " + TracingIT.TOKEN)
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + TracingIT.hex(8) + "-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"traced-model\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Talk.\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(clientResponse.statusCode()).isEqualTo(200);
        String body;
        try (InputStream in = clientResponse.body()) {
            byte[] first = in.readNBytes(1024);
            Thread.sleep(1000);
            body = new String(first, StandardCharsets.UTF_8)
                    + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(body).endsWith("data: [DONE]\n\n");
        assertThat(body.split("\"content\":\"word \"", -1)).hasSize(pieces.length + 1);

        OtlpReceiver.Received server = collector.await(
                in(traceId).and(kind(Span.SpanKind.SPAN_KIND_SERVER)), 1, WAIT_MS).get(0);
        OtlpReceiver.Received request = collector.await(
                in(traceId).and(switchboards()).and(kind(Span.SpanKind.SPAN_KIND_INTERNAL)), 1, WAIT_MS).get(0);
        assertThat(request.parentSpanId()).isEqualTo(server.spanId());
        assertThat(request.span().getEventsList()).extracting(Span.Event::getName).contains("gen_ai.first_token");
        OtlpReceiver.Received attempt = collector.await(
                in(traceId).and(switchboards()).and(kind(Span.SpanKind.SPAN_KIND_CLIENT)), 1, WAIT_MS).get(0);
        assertThat(attempt.parentSpanId()).isEqualTo(request.spanId());
        assertThat(attempt.strings("gen_ai.response.finish_reasons")).containsExactly("stop");
        assertThat(attempt.attribute("gen_ai.response.time_to_first_chunk").getDoubleValue()).isPositive();
        OtlpReceiver.Received httpClient = sentAs(upstream.awaitExchange(1, 5000).request().header("traceparent"), traceId);
        assertThat(httpClient.parentSpanId()).isEqualTo(attempt.spanId());
    }

    /**
     * The span a {@code traceparent} the upstream received names: the agent's HTTP client span, in
     * the request's trace.
     */
    private OtlpReceiver.Received sentAs(String traceparent, String traceId) throws InterruptedException {
        assertThat(traceparent).as("traceparent (one value)").matches("00-" + traceId + "-[0-9a-f]{16}-[0-9a-f]{2}");
        String spanId = traceparent.split("-")[2];
        OtlpReceiver.Received sent = collector.await(in(traceId).and(r -> r.spanId().equals(spanId)), 1, WAIT_MS).get(0);
        assertThat(sent.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(sent.scope().getName()).isEqualTo(AGENT_HTTP_CLIENT_SCOPE);
        return sent;
    }

    private HttpResponse<String> chat(String traceparent, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "v1/chat/completions"))
                .header("Authorization", "Bearer " + TracingIT.TOKEN)
                .header("Content-Type", "application/json")
                .header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Predicate<OtlpReceiver.Received> in(String traceId) {
        return received -> received.traceId().equals(traceId);
    }

    private static Predicate<OtlpReceiver.Received> kind(Span.SpanKind kind) {
        return received -> received.span().getKind() == kind;
    }

    private static Predicate<OtlpReceiver.Received> switchboards() {
        return received -> received.scope().getName().equals(SWITCHBOARD_SCOPE);
    }
}
