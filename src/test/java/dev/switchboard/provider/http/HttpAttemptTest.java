package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.RecordingSink;
import dev.switchboard.provider.openai.OpenAiConnector;
import dev.switchboard.time.ManualScheduler;
import dev.switchboard.upstream.UpstreamResponse;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a non-streaming reply is held: what a declared Content-Length may reserve, and when it is refused. */
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
        return new HttpAttempt(new OpenAiConnector(null, scheduler), clientRequest, MODEL, PROVIDER, sink, scheduler);
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
                    ChatRequestParser.parse(body, body.length), MODEL, PROVIDER, each, scheduler);
            attempt.onResponse(ok(contentLength));

            attempt.onData(ByteBuffer.wrap(REPLY, 0, 7));
            assertThat(attempt.bodyCapacity()).as(contentLength).isEqualTo(7);
            feed(attempt, Arrays.copyOfRange(REPLY, 7, REPLY.length), 5);

            assertThat(each.calls()).as(contentLength).containsExactly("completion");
            assertThat(each.completionJson()).as(contentLength).isEqualTo(REPLY);
        }
    }
}
