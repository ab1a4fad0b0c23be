package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traces exported over OTLP from the deployed WAR (docs/operations.md#tracing): the Tomcat of the
 * {@code tomcat-tracing} failsafe run is started with {@code -Dotel.exporter.otlp.endpoint} naming
 * the {@link OtlpReceiver} this test runs on {@code it.otlp.port}, and with message content capture
 * on. A chat completion sent with a {@code traceparent} must come back as the caller's trace: a
 * server span under the caller's span, a client span per upstream attempt under it with the GenAI
 * attributes, and the upstream request carrying the client span's context. No span may carry a
 * credential.
 */
@ExtendWith(ArquillianExtension.class)
class TracingIT {
    static final String TOKEN = "sb-it-tracing-token";
    static final String PROVIDER_KEY = "sk-tracing-upstream-secret";
    static final String UPSTREAM_MODEL = "upstream-model-x";
    /** The model the provider says answered: a dated version of the one asked for. */
    static final String ANSWERING_MODEL = "upstream-model-x-2026-01-01";
    static final long WAIT_MS = 10_000;

    static MockUpstream upstream;
    static OtlpReceiver collector;

    @ArquillianResource
    URL base;

    final HttpClient http = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        String otlpPort = System.getProperty("it.otlp.port");
        if (otlpPort != null) {
            collector = new OtlpReceiver(Integer.parseInt(otlpPort));
        }
        return GatewayDeployment.withConfig("tracing", config(upstream));
    }

    /** The gateway's configuration for the tracing ITs: one model, traced-model, on {@code upstream}. */
    static String config(MockUpstream upstream) {
        return """
                {
                  "retry": {"attempts": 2, "baseMs": 50, "capMs": 200},
                  "providers": {"mock": {"type": "openai", "baseUrl": "%s/v1", "apiKey": "%s"}},
                  "models": {"traced-model": {"provider": "mock", "upstreamModel": "%s"}},
                  "tokens": [{"name": "it", "token": "%s"}]
                }
                """.formatted(upstream.url(), PROVIDER_KEY, UPSTREAM_MODEL, TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        upstream.close();
        if (collector != null) {
            collector.close();
        }
    }

    @BeforeEach
    void onlyWithTracingOn() {
        // -Dit.test=TracingIT selects it in every failsafe run; only tomcat-tracing's Tomcat traces.
        assumeTrue(collector != null, "runs only in the tomcat-tracing failsafe execution");
        upstream.reset();
    }

    @Test
    void aCompletionIsTheCallersTraceWithAServerSpanAndAClientSpanCarryingTheGenAiAttributes() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion(ANSWERING_MODEL, "Four.")));
        String traceId = hex(16);
        String callerSpanId = hex(8);

        HttpResponse<String> clientResponse = chat("00-" + traceId + "-" + callerSpanId + "-01",
                "{\"model\":\"traced-model\",\"max_tokens\":50,\"temperature\":0.5,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}");
        assertThat(clientResponse.statusCode()).isEqualTo(200);

        OtlpReceiver.Received server = collector.await(in(traceId, Span.SpanKind.SPAN_KIND_SERVER), 1, WAIT_MS).get(0);
        assertThat(server.parentSpanId()).isEqualTo(callerSpanId);
        assertThat(server.span().getName()).isEqualTo("chat traced-model");
        assertThat(server.string("gen_ai.operation.name")).isEqualTo("chat");
        assertThat(server.string("gen_ai.request.model")).isEqualTo("traced-model");
        assertThat(server.number("http.response.status_code")).isEqualTo(200);
        assertThat(server.string("http.route")).isEqualTo("/v1/chat/completions");
        assertThat(OtlpReceiver.Received.find(server.resource().getAttributesList(), "service.name").getStringValue())
                .isEqualTo("switchboard");

        OtlpReceiver.Received attempt = collector.await(in(traceId, Span.SpanKind.SPAN_KIND_CLIENT), 1, WAIT_MS).get(0);
        assertThat(attempt.parentSpanId()).isEqualTo(server.spanId());
        assertCompletionAttempt(attempt);
        assertThat(attempt.number("server.port")).isEqualTo(upstream.port());
        assertThat(attempt.string("gen_ai.response.id")).isEqualTo("chatcmpl-up1");

        // Content capture is on in this Tomcat: the conventions' event, with both sides of the exchange.
        Span.Event details = attempt.span().getEventsList().stream()
                .filter(e -> e.getName().equals("gen_ai.client.inference.operation.details")).findFirst().orElseThrow();
        assertThat(OtlpReceiver.Received.find(details.getAttributesList(), "gen_ai.input.messages").getStringValue())
                .isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What is 2+2?\"}]}]");
        assertThat(OtlpReceiver.Received.find(details.getAttributesList(), "gen_ai.output.messages").getStringValue())
                .isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Four.\"}],"
                        + "\"finish_reason\":\"stop\"}]");

        MockUpstream.Request upstreamRequest = upstream.awaitExchange(1, 5000).request();
        assertThat(upstreamRequest.header("traceparent")).isEqualTo("00-" + traceId + "-" + attempt.spanId() + "-01");
        assertNoSecrets(collector.spans());
    }

    @Test
    void aStreamsAttemptSpanHasTheReplysModelFinishReasonFirstChunkAndStreamedText() throws Exception {
        upstream.enqueue(MockUpstream.Reply.sse(OpenAiWire.textStream(ANSWERING_MODEL, "Fo", "ur."), 0));
        String traceId = hex(16);

        HttpResponse<String> clientResponse = chat("00-" + traceId + "-" + hex(8) + "-01",
                "{\"model\":\"traced-model\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}");
        assertThat(clientResponse.statusCode()).isEqualTo(200);
        assertThat(clientResponse.body()).contains("data: [DONE]");

        OtlpReceiver.Received server = collector.await(in(traceId, Span.SpanKind.SPAN_KIND_SERVER), 1, WAIT_MS).get(0);
        assertThat(server.span().getEventsList()).extracting(Span.Event::getName).contains("gen_ai.first_token");
        OtlpReceiver.Received attempt = collector.await(in(traceId, Span.SpanKind.SPAN_KIND_CLIENT), 1, WAIT_MS).get(0);
        assertThat(attempt.attribute("gen_ai.request.stream").getBoolValue()).isTrue();
        assertThat(attempt.string("gen_ai.response.model")).isEqualTo(ANSWERING_MODEL);
        assertThat(attempt.string("gen_ai.response.id")).isEqualTo("chatcmpl-up3");
        assertThat(attempt.strings("gen_ai.response.finish_reasons")).containsExactly("stop");
        assertThat(attempt.attribute("gen_ai.response.time_to_first_chunk").getDoubleValue()).isPositive();
        Span.Event details = attempt.span().getEventsList().stream()
                .filter(e -> e.getName().equals("gen_ai.client.inference.operation.details")).findFirst().orElseThrow();
        assertThat(OtlpReceiver.Received.find(details.getAttributesList(), "gen_ai.output.messages").getStringValue())
                .isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Four.\"}],"
                        + "\"finish_reason\":\"stop\"}]");
        assertNoSecrets(collector.spans());
    }

    @Test
    void aFailedAttemptAndItsRetryAreSiblingClientSpansTheFirstAnError() throws Exception {
        upstream.enqueue(MockUpstream.Reply.json(500, OpenAiWire.error("overloaded", "server_error", null)));
        upstream.enqueue(MockUpstream.Reply.json(200, OpenAiWire.completion(ANSWERING_MODEL, "Four.")));
        String traceId = hex(16);

        HttpResponse<String> clientResponse = chat("00-" + traceId + "-" + hex(8) + "-01",
                "{\"model\":\"traced-model\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}");
        assertThat(clientResponse.statusCode()).isEqualTo(200);
        assertThat(clientResponse.headers().firstValue("x-switchboard-attempts")).hasValue("2");

        OtlpReceiver.Received server = collector.await(in(traceId, Span.SpanKind.SPAN_KIND_SERVER), 1, WAIT_MS).get(0);
        List<OtlpReceiver.Received> attempts = new ArrayList<>(
                collector.await(in(traceId, Span.SpanKind.SPAN_KIND_CLIENT), 2, WAIT_MS));
        attempts.sort(Comparator.comparingLong(a -> a.span().getStartTimeUnixNano()));
        assertThat(attempts).hasSize(2);
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.parentSpanId()).isEqualTo(server.spanId());
            assertThat(a.string("gen_ai.operation.name")).isEqualTo("chat");
            assertThat(a.string("gen_ai.provider.name")).isEqualTo("openai");
            assertThat(a.string("gen_ai.request.model")).isEqualTo(UPSTREAM_MODEL);
        });
        OtlpReceiver.Received failed = attempts.get(0);
        OtlpReceiver.Received retried = attempts.get(1);
        assertThat(failed.number("switchboard.try")).isEqualTo(1);
        assertThat(failed.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(failed.string("error.type")).isEqualTo("server_error");
        assertThat(failed.attribute("gen_ai.usage.output_tokens")).isNull();
        assertThat(retried.number("switchboard.try")).isEqualTo(2);
        assertThat(retried.span().getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(retried.string("error.type")).isNull();
        assertThat(retried.string("gen_ai.response.model")).isEqualTo(ANSWERING_MODEL);
        assertThat(retried.strings("gen_ai.response.finish_reasons")).containsExactly("stop");
        assertThat(server.span().getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);

        // Each upstream request carried the context of its own attempt's span.
        assertThat(upstream.awaitExchange(1, 5000).request().header("traceparent"))
                .isEqualTo("00-" + traceId + "-" + failed.spanId() + "-01");
        assertThat(upstream.awaitExchange(2, 5000).request().header("traceparent"))
                .isEqualTo("00-" + traceId + "-" + retried.spanId() + "-01");
        assertNoSecrets(collector.spans());
    }

    private HttpResponse<String> chat(String traceparent, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "v1/chat/completions"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static java.util.function.Predicate<OtlpReceiver.Received> in(String traceId, Span.SpanKind kind) {
        return received -> received.traceId().equals(traceId) && received.span().getKind() == kind;
    }

    /**
     * Neither the client's token nor the provider's key, nor any bearer credential, in any span's
     * name, attribute, event or resource: a trace backend is read by more people than the gateway's
     * configuration.
     */
    static void assertNoSecrets(List<OtlpReceiver.Received> spans) {
        assertThat(spans).isNotEmpty();
        for (OtlpReceiver.Received received : spans) {
            List<String> texts = new ArrayList<>();
            texts.add(received.span().getName());
            strings(received.span().getAttributesList(), texts);
            strings(received.resource().getAttributesList(), texts);
            for (Span.Event event : received.span().getEventsList()) {
                texts.add(event.getName());
                strings(event.getAttributesList(), texts);
            }
            assertThat(texts).allSatisfy(text -> assertThat(text)
                    .doesNotContain(TOKEN).doesNotContain(PROVIDER_KEY).doesNotContainIgnoringCase("bearer"));
        }
    }

    private static void strings(List<KeyValue> attributes, List<String> into) {
        for (KeyValue attribute : attributes) {
            into.add(attribute.getKey());
            collect(attribute.getValue(), into);
        }
    }

    private static void collect(AnyValue value, List<String> into) {
        switch (value.getValueCase()) {
            case STRING_VALUE -> into.add(value.getStringValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().forEach(v -> collect(v, into));
            case KVLIST_VALUE -> strings(value.getKvlistValue().getValuesList(), into);
            case BYTES_VALUE -> into.add(value.getBytesValue().toStringUtf8());
            default -> { }
        }
    }

    /**
     * The attempt span of the completion the first test of each tracing IT asks for (max_tokens 50,
     * temperature 0.5, answered "Four." by {@link #ANSWERING_MODEL}): its name, status and GenAI attributes.
     */
    static void assertCompletionAttempt(OtlpReceiver.Received attempt) {
        assertThat(attempt.span().getName()).isEqualTo("chat " + UPSTREAM_MODEL);
        assertThat(attempt.span().getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(attempt.string("gen_ai.operation.name")).isEqualTo("chat");
        assertThat(attempt.string("gen_ai.provider.name")).isEqualTo("openai");
        assertThat(attempt.string("gen_ai.request.model")).isEqualTo(UPSTREAM_MODEL);
        assertThat(attempt.number("gen_ai.request.max_tokens")).isEqualTo(50);
        assertThat(attempt.attribute("gen_ai.request.temperature").getDoubleValue()).isEqualTo(0.5);
        assertThat(attempt.string("server.address")).isEqualTo("127.0.0.1");
        assertThat(attempt.number("gen_ai.usage.input_tokens")).isEqualTo(12);
        assertThat(attempt.number("gen_ai.usage.output_tokens")).isEqualTo(3);
        assertThat(attempt.string("gen_ai.response.model")).isEqualTo(ANSWERING_MODEL);
        assertThat(attempt.strings("gen_ai.response.finish_reasons")).containsExactly("stop");
    }

    static String hex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
