package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.RecordingSink;
import dev.switchboard.provider.anthropic.AnthropicConnector;
import dev.switchboard.provider.gemini.GeminiConnector;
import dev.switchboard.provider.openai.OpenAiConnector;
import dev.switchboard.time.ExecutorScheduler;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link HttpConnector} and {@link HttpAttempt} guarantee for every attempt, whatever the
 * connector: no error reaches the client with the provider's key in it, and an error the provider
 * reports outside SSE syntax ends the stream. Runs real attempts against a local HTTP server,
 * without the servlet container.
 */
class HttpConnectorIT {
    static final String KEY = "sk-ant-api03-S3CR3T";
    static final ModelConfig MODEL = new ModelConfig("claude", "anthropic-main", "claude-sonnet-4-5", null);
    static final long WAIT_SECONDS = 10;

    HttpServer server;
    UpstreamClient client;
    ExecutorScheduler scheduler;
    volatile byte[] streamBody;
    /** Whether the reply declares its Content-Length; otherwise it is sent chunked. */
    volatile boolean declareLength;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, declareLength ? streamBody.length : 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(streamBody);
            }
        });
        server.start();
        client = new UpstreamClient();
        scheduler = new ExecutorScheduler();
    }

    @AfterEach
    void stopServer() {
        client.close();
        scheduler.close();
        server.stop(0);
    }

    ProviderConfig provider() {
        return new ProviderConfig("anthropic-main", ProviderType.ANTHROPIC,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), KEY, Map.of(), Timeouts.DEFAULTS);
    }

    static ChatRequest request(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(bytes, bytes.length);
    }

    @Test
    void anErrorTheProviderSendsInsideA200StreamReachesTheClientWithoutTheKey() throws Exception {
        streamBody = ("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}

                event: error
                data: {"type":"error","error":{"type":"api_error","message":"upstream saw x-api-key KEY and gave up"}}

                """).replace("KEY", KEY).getBytes(StandardCharsets.UTF_8);
        RecordingSink sink = new RecordingSink();

        new AnthropicConnector(client, scheduler).start(new ProviderCall(request("""
                {"model":"claude","messages":[{"role":"user","content":"hi"}],"stream":true}"""), MODEL, provider(), "req_test"), sink);

        GatewayError error = sink.awaitEnd(WAIT_SECONDS, TimeUnit.SECONDS).error();
        assertThat(sink.chunks()).hasSize(1);
        assertThat(error.code()).isEqualTo("upstream_error");
        assertThat(error.message()).isEqualTo("Provider 'anthropic-main' failed (api_error): upstream saw x-api-key"
                + " <redacted> and gave up");
    }

    @Test
    void aBareJsonErrorAfterAGeminiStreamStartedEndsItWithThatErrorAndWithoutTheKey() throws Exception {
        // docs/protocols/openai-to-gemini.md A4: a late error arrives as bare, multi-line JSON, the last line
        // without a line end.
        streamBody = ("""
                data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]}}]}

                {
                  "error": {
                    "code": 503,
                    "message": "The model is overloaded (key KEY).",
                    "status": "UNAVAILABLE"
                  }
                }""").replace("KEY", KEY).getBytes(StandardCharsets.UTF_8);
        RecordingSink sink = new RecordingSink();
        ProviderConfig gemini = new ProviderConfig("gemini-main", ProviderType.GEMINI,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), KEY, Map.of(), Timeouts.DEFAULTS);

        new GeminiConnector(client, scheduler).start(new ProviderCall(request("""
                {"model":"flash","messages":[{"role":"user","content":"hi"}],"stream":true}"""), new ModelConfig("flash", "gemini-main", "gemini-2.5-flash", null), gemini, "req_test"), sink);

        GatewayError error = sink.awaitEnd(WAIT_SECONDS, TimeUnit.SECONDS).error();
        assertThat(sink.chunks()).isNotEmpty();
        assertThat(error.message()).contains("overloaded").contains("<redacted>").doesNotContain(KEY);
    }

    @Test
    void theChunksOfOneUpstreamReadReachTheSinkTogetherAndInOrder() throws Exception {
        // Written in one piece, well under one read buffer: one read, one batch for the client.
        streamBody = """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"b"}}

                """.getBytes(StandardCharsets.UTF_8);
        RecordingSink sink = new RecordingSink();

        new AnthropicConnector(client, scheduler).start(new ProviderCall(request("""
                {"model":"claude","messages":[{"role":"user","content":"hi"}],"stream":true}"""), MODEL, provider(), "req_test"), sink);

        // The body ends without message_stop, so the attempt fails after the batch.
        sink.awaitEnd(WAIT_SECONDS, TimeUnit.SECONDS);
        List<List<String>> batches = sink.batches();
        assertThat(batches).hasSize(1);
        assertThat(sink.failures()).as("the stream was cut short").hasSize(1);
        assertThat(batches.get(0)).hasSize(3);
        assertThat(batches.get(0).get(0)).contains("\"role\":\"assistant\"");
        assertThat(batches.get(0).get(1)).contains("\"content\":\"a\"");
        assertThat(batches.get(0).get(2)).contains("\"content\":\"b\"");
    }

    @Test
    void aReplyOfManyReadsArrivesWholeWhetherOrNotItDeclaresItsLength() throws Exception {
        // The body buffer starts at the declared length (at most HttpAttempt.MAX_PRESIZED_BYTES),
        // or at the first read's size, and doubles; this reply is larger than the presize cap.
        String content = "0123456789 ü 😀 ".repeat(70_000);
        byte[] reply = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":"
                + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,"
                + "\"total_tokens\":8}}").getBytes(StandardCharsets.UTF_8);
        ProviderConfig openAi = new ProviderConfig("openai-main", ProviderType.OPENAI,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1"), KEY, Map.of(), Timeouts.DEFAULTS);
        streamBody = reply;
        assertThat(reply.length).isGreaterThan(HttpAttempt.MAX_PRESIZED_BYTES);

        for (boolean declared : new boolean[] {true, false}) {
            declareLength = declared;
            RecordingSink sink = new RecordingSink();

            new OpenAiConnector(client, scheduler).start(new ProviderCall(request("""
                    {"model":"gpt","messages":[{"role":"user","content":"hi"}]}"""), new ModelConfig("gpt", "openai-main", "gpt-4o-mini", null), openAi, "req_test"), sink);

            sink.awaitEnd(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(sink.calls()).as("Content-Length declared: %s", declared).containsExactly("completion");
            assertThat(sink.completionJson()).as("Content-Length declared: %s", declared).isEqualTo(reply);
        }
    }

    @Test
    void anErrorBeforeAnyCallIsRedactedToo() throws Exception {
        RecordingSink sink = new RecordingSink();
        HttpConnector refusing = new HttpConnector(client, scheduler) {
            @Override
            protected UpstreamRequest upstreamRequest(ProviderCall call) {
                throw ErrorKind.INVALID_REQUEST.exception("x", "cannot send this with key " + call.provider().apiKey());
            }

            @Override
            protected GatewayError upstreamError(ProviderConfig provider, UpstreamResponse response, byte[] body, int length) {
                throw new AssertionError("no call expected");
            }

            @Override
            protected CompletionBody completion(ProviderCall call, byte[] body, int length) {
                throw new AssertionError("no call expected");
            }

            @Override
            protected StreamTranslator streamTranslator(ProviderCall call) {
                throw new AssertionError("no call expected");
            }
        };

        Attempt attempt = refusing.start(new ProviderCall(request("{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), MODEL, provider(), "req_test"), sink);

        assertThat(attempt).isSameAs(Attempt.NONE);
        assertThat(sink.awaitEnd(WAIT_SECONDS, TimeUnit.SECONDS).error().message()).isEqualTo("cannot send this with key <redacted>");
    }
}
