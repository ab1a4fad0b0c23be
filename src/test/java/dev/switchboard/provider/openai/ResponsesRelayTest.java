package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseParser;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Responses relay: OpenAI's events pass unchanged; the terminal event ends the stream with its usage. */
class ResponsesRelayTest {
    @Test
    void everyEventPassesUnchangedUntilTheTerminalOne() throws Exception {
        byte[] sse;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/openai/responses-text.sse")) {
            sse = in.readAllBytes();
        }
        ResponsesRelay relay = new ResponsesRelay();
        List<SseEvent> in = new ArrayList<>();
        List<SseEvent> out = new ArrayList<>();
        new SseParser(event -> {
            in.add(event);
            relay.onEvent(event, out::add);
        }).feed(sse, 0, sse.length);

        assertThat(out).containsExactlyElementsOf(in);
        assertThat(relay.isFinished()).isTrue();
        assertThat(relay.finish(out::add)).isEqualTo(new Usage(21, 5, 8, 0));
    }

    @Test
    void anErrorEventEndsTheStream() {
        SseEvent error = new SseEvent("error", "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"boom\",\"param\":null}"
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new ResponsesRelay().onEvent(error, event -> { })).isInstanceOf(GatewayException.class)
                .hasMessage("boom");
    }
}
