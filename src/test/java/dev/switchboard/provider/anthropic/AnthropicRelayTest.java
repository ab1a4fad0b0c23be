package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Messages relay: Anthropic's stream reaches the client event for event, name and data
 * unchanged, while the relay reads the usage, the end and an error.
 */
class AnthropicRelayTest {
    @Test
    void everyEventPassesUnchangedAndTheUsageIsRead() {
        byte[] sse = Fixtures.bytes("cache-usage.sse");
        AnthropicRelay relay = new AnthropicRelay("anthropic-main");
        List<SseEvent> in = new ArrayList<>();
        List<SseEvent> out = new ArrayList<>();
        new SseParser(event -> {
            in.add(event);
            relay.onEvent(event, out::add);
        }).feed(sse, 0, sse.length);

        assertThat(out).containsExactlyElementsOf(in);
        assertThat(relay.isFinished()).isTrue();
        Usage usage = relay.finish(out::add);
        assertThat(usage.promptTokens()).isEqualTo(2212);
        assertThat(usage.cachedTokens()).isEqualTo(1800);
        assertThat(out).hasSameSizeAs(in);
    }

    @Test
    void anErrorEventEndsTheStreamWithTheMappedError() {
        AnthropicRelay relay = new AnthropicRelay("anthropic-main");
        SseEvent error = new SseEvent("error",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
                        .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> relay.onEvent(error, event -> { })).isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).error().status()).isEqualTo(503));
    }

    @Test
    void aWholeMessageKeepsItsBytesAndReportsItsUsage() {
        byte[] body = "{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":5,\"cache_read_input_tokens\":10,\"output_tokens\":2}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(AnthropicRelay.completionUsage(body, body.length)).isEqualTo(new Usage(15, 2, 10, 0));
        assertThat(AnthropicRelay.completionUsage("<html>".getBytes(StandardCharsets.UTF_8), 6)).isNull();
    }
}
