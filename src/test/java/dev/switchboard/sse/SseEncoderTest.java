package dev.switchboard.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEncoderTest {
    static List<String> parse(byte[] frames) {
        List<String> data = new ArrayList<>();
        SseParser parser = new SseParser(event -> data.add(new String(event.data(), StandardCharsets.UTF_8)));
        parser.feed(frames, 0, frames.length);
        return data;
    }

    @Test
    void aOneLinePayloadIsOneDataLine() {
        byte[] frame = SseEncoder.encode("{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("data: {\"a\":1}\n\n");
    }

    @Test
    void aPayloadWithLineFeedsBecomesOneDataLinePerLineAndParsesBackTheSame() {
        String json = "{\n  \"a\": 1,\n  \"b\": [2, 3]\n}";

        byte[] frame = SseEncoder.encode(json.getBytes(StandardCharsets.UTF_8));

        assertThat(new String(frame, StandardCharsets.UTF_8))
                .isEqualTo("data: {\ndata:   \"a\": 1,\ndata:   \"b\": [2, 3]\ndata: }\n\n");
        assertThat(parse(frame)).containsExactly(json);
    }

    @Test
    void aNamedEventHasItsEventLineAndParsesBackWithItsName() {
        byte[] frame = SseEncoder.encode("message_start", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("event: message_start\ndata: {\"a\":1}\n\n");
        List<SseEvent> events = new ArrayList<>();
        new SseParser(events::add).feed(frame, 0, frame.length);
        assertThat(events).containsExactly(new SseEvent("message_start", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void doneAndKeepAliveAreWhatClientsExpect() {
        assertThat(new String(SseEncoder.DONE, StandardCharsets.US_ASCII)).isEqualTo("data: [DONE]\n\n");
        List<SseEvent> events = new ArrayList<>();
        new SseParser(events::add).feed(SseEncoder.KEEP_ALIVE, 0, SseEncoder.KEEP_ALIVE.length);
        assertThat(events).as("a comment dispatches nothing").isEmpty();
    }
}
