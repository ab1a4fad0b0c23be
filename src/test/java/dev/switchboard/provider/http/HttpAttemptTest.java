package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.RecordingSink;
import dev.switchboard.provider.openai.OpenAiConnector;
import dev.switchboard.time.ManualScheduler;
import dev.switchboard.tracing.AttemptTrace;
import dev.switchboard.tracing.InMemoryTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.SpanData;
import dev.switchboard.upstream.UpstreamCall;
import dev.switchboard.upstream.UpstreamResponse;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * HttpAttempt driven without sockets: how a non-streaming reply is held (what a declared
 * Content-Length may reserve, and when it is refused), and how a stream ends at its last event
 * whether or not the provider ends the body.
 */
class HttpAttemptTest {
    static final ProviderConfig PROVIDER = new ProviderConfig("openai-main", ProviderType.OPENAI,
            URI.create("http://upstream.invalid/v1"), "sk-test", Map.of(), Timeouts.DEFAULTS);
    static final ModelConfig MODEL = new ModelConfig("gpt", "openai-main", "gpt-4o-mini", null);
    static final byte[] REPLY = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}")
            .getBytes(StandardCharsets.UTF_8);

    final RecordingSink sink = new RecordingSink();
    final ManualScheduler scheduler = new ManualScheduler();

    HttpAttempt attempt() {
        byte[] body = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
        ChatRequest clientRequest = ChatRequestParser.parse(body, body.length);
        return new HttpAttempt(new OpenAiConnector(null, scheduler), new ProviderCall(clientRequest, MODEL, PROVIDER, "req_test"),
                sink, scheduler);
    }

    static UpstreamResponse ok(String contentLength) {
        return new UpstreamResponse() {
            @Override
            public int status() {
                return 200;
            }

            @Override
            public String header(String name) {
                return name.equalsIgnoreCase("Content-Length") ? contentLength : null;
            }
        };
    }

    /** Feeds the reply in reads of {@code readBytes}, then ends it. */
    static void feed(HttpAttempt attempt, byte[] reply, int readBytes) {
        for (int at = 0; at < reply.length; at += readBytes) {
            attempt.onData(ByteBuffer.wrap(reply, at, Math.min(readBytes, reply.length - at)));
        }
        attempt.onEnd();
    }

    @Test
    void aDeclaredLengthReservesExactlyTheBody() {
        HttpAttempt attempt = attempt();
        attempt.onResponse(ok(Integer.toString(REPLY.length)));

        attempt.onData(ByteBuffer.wrap(REPLY, 0, 10));
        assertThat(attempt.bodyCapacity()).isEqualTo(REPLY.length);
        attempt.onData(ByteBuffer.wrap(REPLY, 10, REPLY.length - 10));
        attempt.onEnd();

        assertThat(sink.calls()).containsExactly("completion");
        assertThat(sink.completionJson()).isEqualTo(REPLY);
    }

    @Test
    void aLargeDeclaredLengthReservesNoMoreThanThePresizeCap() {
        HttpAttempt attempt = attempt();
        attempt.onResponse(ok(Integer.toString(50 * 1024 * 1024)));

        attempt.onData(ByteBuffer.wrap(REPLY, 0, 10));

        assertThat(attempt.bodyCapacity()).isEqualTo(HttpAttempt.MAX_PRESIZED_BYTES);
        assertThat(sink.failures()).isEmpty();
    }

    @Test
    void aDeclaredLengthOverTheBodyCapIsRefusedAtItsFirstByteWithoutReservingIt() {
        HttpAttempt attempt = attempt();
        attempt.onResponse(ok("2000000000"));

        attempt.onData(ByteBuffer.wrap(REPLY, 0, 10));

        assertThat(attempt.bodyCapacity()).isZero();
        assertThat(sink.failures()).extracting(Failure::error).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("larger than " + HttpAttempt.MAX_BODY_BYTES));
        attempt.onData(ByteBuffer.wrap(REPLY, 10, REPLY.length - 10));
        attempt.onEnd();
        assertThat(sink.completionJson()).isNull();
        assertThat(sink.failures()).hasSize(1);
    }

    @Test
    void withoutAUsableLengthTheBodyGrowsFromTheFirstReadAndArrivesWhole() {
        for (String contentLength : new String[] {null, "-5", "many", "99999999999999999999"}) {
            RecordingSink each = new RecordingSink();
            byte[] body = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
            HttpAttempt attempt = new HttpAttempt(new OpenAiConnector(null, scheduler),
                    new ProviderCall(ChatRequestParser.parse(body, body.length), MODEL, PROVIDER, "req_test"), each, scheduler);
            attempt.onResponse(ok(contentLength));

            attempt.onData(ByteBuffer.wrap(REPLY, 0, 7));
            assertThat(attempt.bodyCapacity()).as(contentLength).isEqualTo(7);
            feed(attempt, Arrays.copyOfRange(REPLY, 7, REPLY.length), 5);

            assertThat(each.calls()).as(contentLength).containsExactly("completion");
            assertThat(each.completionJson()).as(contentLength).isEqualTo(REPLY);
        }
    }

    // ---- a finished stream finishes ------------------------------------------------------------

    static final ProviderConfig ANTHROPIC = new ProviderConfig("claude", ProviderType.ANTHROPIC,
            URI.create("http://upstream.invalid"), "sk-ant", Map.of(), Timeouts.DEFAULTS);
    static final ProviderConfig GEMINI = new ProviderConfig("google", ProviderType.GEMINI,
            URI.create("http://upstream.invalid"), "AIza", Map.of(), Timeouts.DEFAULTS);
    static final String CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n";
    static final String FINISH = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    static final String USAGE = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}\n\n";
    static final String DONE = "data: [DONE]\n\n";

    final Call call = new Call();
    RecordingSink streamSink = new RecordingSink();

    /** A started streaming attempt of {@code connector}, its upstream response begun. */
    HttpAttempt streaming(HttpConnector connector, ModelConfig model, ProviderConfig provider) {
        byte[] body = ("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8);
        HttpAttempt attempt = new HttpAttempt(connector,
                new ProviderCall(ChatRequestParser.parse(body, body.length), model, provider, "req_test"), streamSink, scheduler);
        attempt.start(handler -> call);
        attempt.onResponse(ok(null));
        return attempt;
    }

    HttpAttempt openAiStream() {
        return streaming(new OpenAiConnector(null, scheduler), MODEL, PROVIDER);
    }

    static boolean read(HttpAttempt attempt, String text) {
        return attempt.onData(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String fixture(String path) {
        try (var in = HttpAttemptTest.class.getResourceAsStream("/fixtures/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anOpenAiStreamEndsAtDoneWithoutWaitingForTheBodyToEnd() {
        HttpAttempt attempt = openAiStream();

        read(attempt, CHUNK + FINISH);
        assertThat(streamSink.streamEnded()).isFalse();
        read(attempt, USAGE + DONE);

        assertThat(streamSink.streamEnded()).isTrue();
        assertThat(streamSink.terminalCalls()).isEqualTo(1);
        assertThat(streamSink.usage()).isEqualTo(new Usage(3, 1));
        assertThat(streamSink.chunks()).hasSize(3);
        assertThat(streamSink.failures()).isEmpty();
        // The idle timer is gone; only the wait for the rest of the body is left.
        assertThat(scheduler.pendingDelaysMillis()).containsExactly(HttpAttempt.DRAIN_MS);
    }

    @Test
    void aBodyThatNeverEndsIsCancelledAfterTheDrainTimeSoItsConnectionIsClosedNotPooled() {
        HttpAttempt attempt = openAiStream();
        read(attempt, CHUNK + FINISH + DONE);

        scheduler.advance(HttpAttempt.DRAIN_MS - 1, TimeUnit.MILLISECONDS);
        assertThat(call.cancels).isZero();
        scheduler.advance(1, TimeUnit.MILLISECONDS);

        assertThat(call.cancels).isEqualTo(1);
        assertThat(streamSink.terminalCalls()).isEqualTo(1);
    }

    @Test
    void aBodyThatEndsWhileDrainingLeavesItsConnectionToThePool() {
        HttpAttempt attempt = openAiStream();
        read(attempt, CHUNK + FINISH + DONE);

        attempt.onEnd();
        scheduler.advance(1, TimeUnit.MINUTES);

        assertThat(call.cancels).isZero();
        assertThat(streamSink.terminalCalls()).isEqualTo(1);
    }

    @Test
    void whatFollowsTheEndIsReadAtFullSpeedAndDropped() {
        streamSink = RecordingSink.withRoom(0);
        HttpAttempt attempt = openAiStream();

        assertThat(read(attempt, CHUNK + DONE + CHUNK)).as("keeps reading though the client is full").isTrue();
        assertThat(read(attempt, CHUNK + "data: {\"error\":{\"message\":\"late\"}}\n\n")).isTrue();

        assertThat(streamSink.chunks()).hasSize(1);
        assertThat(streamSink.terminalCalls()).isEqualTo(1);
        assertThat(streamSink.failures()).isEmpty();
    }

    @Test
    void aStreamWithoutItsLastEventStillEndsWithTheBody() {
        HttpAttempt attempt = openAiStream();
        read(attempt, CHUNK + FINISH);
        scheduler.advance(1, TimeUnit.SECONDS);
        assertThat(streamSink.streamEnded()).isFalse();

        attempt.onEnd();

        assertThat(streamSink.streamEnded()).isTrue();
        assertThat(call.cancels).isZero();
    }

    @Test
    void anAnthropicStreamEndsAtMessageStop() {
        String stream = fixture("anthropic/text.sse");
        HttpAttempt attempt = streaming(new dev.switchboard.provider.anthropic.AnthropicConnector(null, scheduler),
                new ModelConfig("claude", "claude", "claude-sonnet-4-5", null), ANTHROPIC);
        int stop = stream.indexOf("event: message_stop");

        read(attempt, stream.substring(0, stop));
        assertThat(streamSink.streamEnded()).isFalse();
        read(attempt, stream.substring(stop));

        assertThat(streamSink.streamEnded()).isTrue();
        assertThat(streamSink.usage()).isNotNull();
        assertThat(streamSink.failures()).isEmpty();
    }

    @Test
    void aGeminiStreamEndsAtTheChunkThatFinishesItsLastCandidate() {
        String stream = fixture("gemini/text.sse");
        HttpAttempt attempt = streaming(new dev.switchboard.provider.gemini.GeminiConnector(null, scheduler),
                new ModelConfig("gem", "google", "gemini-2.5-flash", null), GEMINI);
        int last = stream.lastIndexOf("data: ");

        read(attempt, stream.substring(0, last));
        assertThat(streamSink.streamEnded()).isFalse();
        read(attempt, stream.substring(last));

        assertThat(streamSink.streamEnded()).isTrue();
        assertThat(streamSink.usage()).isEqualTo(new Usage(9, 12));
        assertThat(streamSink.failures()).isEmpty();
    }

    /** Runs {@code call} as an I/O or timer thread would, returning what escaped it (null: nothing). */
    static Throwable ioThread(Runnable call) {
        try {
            call.run();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    /** A sink whose chunks throw {@code error} the first time, as an exchange out of memory would. */
    static final class ThrowingSink extends RecordingSink {
        private final Error error;
        private boolean thrown;

        ThrowingSink(Error error) {
            this.error = error;
        }

        @Override
        public void chunks(java.util.List<dev.switchboard.sse.SseEvent> events) {
            if (!thrown) {
                thrown = true;
                throw error;
            }
            super.chunks(events);
        }
    }

    @Test
    void aSinkThatThrowsAnErrorOnTheIoThreadEndsTheAttemptWithA500AndClosesItsConnection() {
        streamSink = new ThrowingSink(new OutOfMemoryError("injected"));
        HttpAttempt attempt = openAiStream();

        boolean[] keepReading = {false};
        Throwable escaped = ioThread(() -> keepReading[0] = read(attempt, CHUNK));

        assertThat(escaped).as("nothing reaches the I/O thread").isNull();
        assertThat(keepReading[0]).as("the I/O thread goes on").isTrue();
        assertThat(streamSink.failures()).singleElement().satisfies(failure ->
                assertThat(failure.error().kind()).isEqualTo(dev.switchboard.error.ErrorKind.INTERNAL));
        assertThat(streamSink.failures().get(0).error().message()).doesNotContain("OutOfMemoryError");
        assertThat(call.cancels).as("the upstream connection is closed").isPositive();
        assertThat(scheduler.pendingDelaysMillis()).as("no timer left behind").isEmpty();

        read(attempt, FINISH + DONE);
        attempt.onEnd();
        assertThat(streamSink.terminalCalls()).as("ended once").isEqualTo(1);
    }

    @Test
    void aTranslatorThatOverflowsItsStackEndsTheAttemptAndNothingReachesTheIoThread() {
        HttpConnector overflowing = new HttpConnector(null, scheduler) {
            @Override
            protected dev.switchboard.upstream.UpstreamRequest upstreamRequest(ProviderCall providerCall) {
                throw new UnsupportedOperationException();
            }

            @Override
            protected dev.switchboard.error.GatewayError upstreamError(ProviderConfig provider,
                    UpstreamResponse upstreamResponse, byte[] body, int length) {
                throw new UnsupportedOperationException();
            }

            @Override
            protected CompletionBody completion(ProviderCall providerCall, byte[] body, int length) {
                throw new UnsupportedOperationException();
            }

            @Override
            protected StreamTranslator streamTranslator(ProviderCall providerCall) {
                return new StreamTranslator() {
                    @Override
                    public void onEvent(dev.switchboard.sse.SseEvent event,
                                        java.util.function.Consumer<dev.switchboard.sse.SseEvent> out) {
                        throw new StackOverflowError("injected");
                    }

                    @Override
                    public boolean isComplete() {
                        return false;
                    }

                    @Override
                    public Usage finish(java.util.function.Consumer<dev.switchboard.sse.SseEvent> out) {
                        return null;
                    }
                };
            }
        };
        HttpAttempt attempt = streaming(overflowing, MODEL, PROVIDER);

        assertThat(ioThread(() -> {
            read(attempt, CHUNK);
            attempt.onEnd();
        })).as("nothing reaches the I/O thread").isNull();

        assertThat(streamSink.failures()).singleElement().satisfies(failure ->
                assertThat(failure.error().status()).isEqualTo(500));
        assertThat(streamSink.terminalCalls()).isEqualTo(1);
        assertThat(call.cancels).isPositive();
    }

    @Test
    void aTimerTaskThatThrowsEndsTheAttempt() {
        streamSink = new RecordingSink() {
            @Override
            public synchronized void fail(Failure failure) {
                if (failure.error().kind() == dev.switchboard.error.ErrorKind.UPSTREAM_TIMEOUT) {
                    throw new OutOfMemoryError("injected into the timeout's failure");
                }
                super.fail(failure);
            }
        };
        HttpAttempt attempt = streaming(new OpenAiConnector(null, scheduler), MODEL, PROVIDER);
        read(attempt, CHUNK);

        assertThat(ioThread(() -> scheduler.advance(PROVIDER.timeouts().idleMs() + 1, TimeUnit.MILLISECONDS)))
                .as("nothing reaches the timer").isNull();

        assertThat(call.cancels).as("the upstream connection is closed").isPositive();
    }

    /** Stands in for the upstream call: counts what the attempt asks of it. */
    // ---- tracing ---------------------------------------------------------------------------------

    @Test
    void theAttemptsSpanIsCurrentWhileTheRequestIsHandedToTheClientAndOnlyThen() {
        // What instruments the HTTP client (the OpenTelemetry Java agent) nests its span under it.
        InMemoryTracing traces = new InMemoryTracing();
        byte[] body = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
        ChatRequest clientRequest = ChatRequestParser.parse(body, body.length);
        AttemptTrace trace = traces.request(Map.of()).attempt(clientRequest, MODEL, PROVIDER, 1);
        HttpAttempt attempt = new HttpAttempt(new OpenAiConnector(null, scheduler),
                new ProviderCall(clientRequest, MODEL, PROVIDER, "req_test", trace), sink, scheduler);
        AtomicReference<SpanContext> currentAtSend = new AtomicReference<>();

        attempt.start(handler -> {
            currentAtSend.set(Span.current().getSpanContext());
            return call;
        });
        assertThat(Span.current().getSpanContext().isValid()).as("current after the send").isFalse();
        trace.succeeded(null);

        SpanData attemptSpan = traces.spans().get(0);
        assertThat(currentAtSend.get().getSpanId()).isEqualTo(attemptSpan.getSpanId());
        assertThat(currentAtSend.get().getTraceId()).isEqualTo(attemptSpan.getTraceId());
    }

    static final class Call implements UpstreamCall {
        int cancels;

        @Override
        public void resume() {
        }

        @Override
        public void cancel() {
            cancels++;
        }
    }
}
