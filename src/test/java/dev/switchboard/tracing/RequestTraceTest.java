package dev.switchboard.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.llm.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server and client spans with the SDK's in-memory exporter: names, parents, GenAI attributes. */
class RequestTraceTest {
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT_ID = "00f067aa0ba902b7";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";
    static final String PROMPT = "the secret plans of the company";

    static final GatewayConfig CONFIG = ConfigParser.parse(("{"
            + "'providers':{'claude':{'type':'anthropic','apiKey':'sk-ant-test-key'},"
            + "  'local':{'type':'openai','baseUrl':'http://127.0.0.1:8000/v1'}},"
            + "'models':{'sonnet':{'provider':'claude','upstreamModel':'claude-sonnet-4-6'},"
            + "  'llama':{'provider':'local'}},"
            + "'tokens':[{'name':'t','token':'test-token-x'}]}").replace('\'', '"'), Map.of(), "test");

    final InMemoryTracing traces = new InMemoryTracing();

    static ChatRequest chat(String model, String extra) {
        byte[] body = ("{\"model\":\"" + model + "\",\"stream\":true" + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}").getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(body, body.length);
    }

    @Test
    void theServerSpanContinuesTheClientsTraceAndIsNamedAfterTheOperationAndModel() {
        RequestTrace trace = traces.request(Map.of("traceparent", TRACEPARENT));
        assertThat(trace.traceId()).isEqualTo(TRACE_ID);
        trace.parsed(chat("balanced", ""));
        trace.end(200);

        SpanData server = traces.spans().get(0);
        assertThat(server.getName()).isEqualTo("chat balanced");
        assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(server.getParentSpanId()).isEqualTo(PARENT_ID);
        assertThat(server.getAttributes().get(GenAi.OPERATION_NAME)).isEqualTo("chat");
        assertThat(server.getAttributes().get(GenAi.REQUEST_MODEL)).isEqualTo("balanced");
        assertThat(server.getAttributes().get(GenAi.HTTP_STATUS)).isEqualTo(200L);
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void withoutATraceparentARequestStartsATraceOfItsOwn() {
        RequestTrace trace = traces.request(Map.of());
        trace.end(502);
        SpanData server = traces.spans().get(0);
        assertThat(server.getParentSpanContext().isValid()).isFalse();
        assertThat(trace.traceId()).isEqualTo(server.getTraceId());
        assertThat(server.getStatus().getStatusCode()).as("a 5xx is the server's error").isEqualTo(StatusCode.ERROR);
        assertThat(server.getAttributes().get(GenAi.ERROR_TYPE)).isEqualTo("502");
    }

    @Test
    void anAttemptIsAClientSpanWithTheGenAiAttributesAndItsTraceContextGoesUpstream() {
        RequestTrace trace = traces.request(Map.of("traceparent", TRACEPARENT));
        ChatRequest request = chat("sonnet", ",\"max_completion_tokens\":300,\"temperature\":0.2");
        trace.parsed(request);
        AttemptTrace attempt = trace.attempt(request, CONFIG.models().get("sonnet"), CONFIG.providers().get("claude"), 1);
        Map<String, String> upstreamHeaders = new LinkedHashMap<>();
        attempt.inject(upstreamHeaders::put);
        trace.firstToken(System.nanoTime());
        attempt.succeeded(new Usage(2212, 96, 1800, 10, 12, 0));
        trace.end(200);

        SpanData client = traces.spans().get(0);
        SpanData server = traces.spans().get(1);
        assertThat(client.getName()).isEqualTo("chat claude-sonnet-4-6");
        assertThat(client.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(client.getTraceId()).isEqualTo(TRACE_ID);
        var attributes = client.getAttributes();
        assertThat(attributes.get(GenAi.OPERATION_NAME)).isEqualTo("chat");
        assertThat(attributes.get(GenAi.PROVIDER_NAME)).isEqualTo("anthropic");
        assertThat(attributes.get(GenAi.REQUEST_MODEL)).isEqualTo("claude-sonnet-4-6");
        assertThat(attributes.get(GenAi.REQUEST_MAX_TOKENS)).isEqualTo(300L);
        assertThat(attributes.get(GenAi.REQUEST_TEMPERATURE)).isEqualTo(0.2);
        assertThat(attributes.get(GenAi.REQUEST_STREAM)).isTrue();
        assertThat(attributes.get(GenAi.SERVER_ADDRESS)).isEqualTo("api.anthropic.com");
        assertThat(attributes.get(GenAi.SERVER_PORT)).isEqualTo(443L);
        assertThat(attributes.get(GenAi.INPUT_TOKENS)).isEqualTo(2212L);
        assertThat(attributes.get(GenAi.OUTPUT_TOKENS)).isEqualTo(96L);
        assertThat(attributes.get(GenAi.CACHE_READ_TOKENS)).isEqualTo(1800L);
        assertThat(attributes.get(GenAi.CACHE_CREATION_TOKENS)).isEqualTo(12L);
        assertThat(attributes.get(GenAi.REASONING_TOKENS)).isEqualTo(10L);
        assertThat(attributes.get(GenAi.TIME_TO_FIRST_CHUNK)).isNotNull().isGreaterThanOrEqualTo(0.0);
        assertThat(attributes.get(GenAi.SWITCHBOARD_PROVIDER)).isEqualTo("claude");
        assertThat(attributes.get(GenAi.ERROR_TYPE)).isNull();
        assertThat(server.getEvents()).extracting(e -> e.getName()).containsExactly(GenAi.FIRST_TOKEN_EVENT);

        assertThat(upstreamHeaders).containsOnlyKeys("traceparent");
        assertThat(upstreamHeaders.get("traceparent"))
                .isEqualTo("00-" + TRACE_ID + "-" + client.getSpanId() + "-01");
    }

    @Test
    void noPromptOrKeyIsRecordedOnAnySpan() {
        RequestTrace trace = traces.request(Map.of("traceparent", TRACEPARENT));
        ChatRequest request = chat("sonnet", "");
        trace.parsed(request);
        AttemptTrace attempt = trace.attempt(request, CONFIG.models().get("sonnet"), CONFIG.providers().get("claude"), 1);
        attempt.failed("client_error");
        trace.end(400);

        assertThat(traces.spans()).hasSize(2).allSatisfy(span -> span.getAttributes().forEach((key, value) -> {
            assertThat(String.valueOf(value)).doesNotContain(PROMPT).doesNotContain("sk-ant-test-key");
        }));
    }

    @Test
    void anAttemptEndsOnceWhicheverWayComesFirst() {
        RequestTrace trace = traces.request(Map.of());
        ChatRequest request = chat("llama", "");
        AttemptTrace attempt = trace.attempt(request, CONFIG.models().get("llama"), CONFIG.providers().get("local"), 2);
        attempt.failed("timeout");
        attempt.succeeded(new Usage(1, 1));
        attempt.cancelled();
        trace.end(504);
        trace.end(200);

        List<SpanData> spans = traces.spans();
        assertThat(spans).hasSize(2);
        SpanData client = spans.get(0);
        assertThat(client.getAttributes().get(GenAi.ERROR_TYPE)).isEqualTo("timeout");
        assertThat(client.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(client.getAttributes().get(GenAi.INPUT_TOKENS)).isNull();
        assertThat(client.getAttributes().get(GenAi.PROVIDER_NAME)).isEqualTo("openai");
        assertThat(client.getAttributes().get(GenAi.SERVER_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(client.getAttributes().get(GenAi.SERVER_PORT)).isEqualTo(8000L);
        assertThat(client.getAttributes().get(AttributeKey.longKey("switchboard.try"))).isEqualTo(2L);
        assertThat(spans.get(1).getAttributes().get(GenAi.HTTP_STATUS)).isEqualTo(504L);
    }

    @Test
    void offCostsNoObjectPerRequest() {
        RequestTrace trace = Tracing.OFF.request(Map.of("traceparent", TRACEPARENT), InMemoryTracing.MAP, "POST", "/v1/chat/completions");
        assertThat(trace).isSameAs(RequestTrace.NONE);
        assertThat(trace.traceId()).isNull();
        ChatRequest request = chat("sonnet", "");
        assertThat(trace.attempt(request, CONFIG.models().get("sonnet"), CONFIG.providers().get("claude"), 1))
                .isSameAs(AttemptTrace.NONE);
        Map<String, String> headers = new LinkedHashMap<>();
        AttemptTrace.NONE.inject(headers::put);
        assertThat(headers).isEmpty();
    }
}
