package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatExchangeFrameTest {
    static List<String> parse(byte[] frames) {
        List<String> data = new ArrayList<>();
        SseParser parser = new SseParser(event -> data.add(new String(event.data(), StandardCharsets.UTF_8)));
        parser.feed(frames, 0, frames.length);
        return data;
    }

    @Test
    void aOneLinePayloadIsOneDataLine() {
        byte[] frame = ChatExchange.frame("{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("data: {\"a\":1}\n\n");
    }

    @Test
    void aPayloadWithLineFeedsBecomesOneDataLinePerLineAndParsesBackTheSame() {
        String json = "{\n  \"a\": 1,\n  \"b\": [2, 3]\n}";

        byte[] frame = ChatExchange.frame(json.getBytes(StandardCharsets.UTF_8));

        assertThat(new String(frame, StandardCharsets.UTF_8))
                .isEqualTo("data: {\ndata:   \"a\": 1,\ndata:   \"b\": [2, 3]\ndata: }\n\n");
        assertThat(parse(frame)).containsExactly(json);
    }
}
