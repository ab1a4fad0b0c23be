package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmEvent;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatStreamEncoderTest {
    /** Each chunk's choice index and delta, as {@code "0 {...}"}. */
    private static List<String> deltas(List<SseEvent> chunks) {
        return chunks.stream().map(chunk -> {
            JsonObject choice = Json.parseObject(chunk.data()).getJsonArray("choices").getJsonObject(0);
            return choice.getInt("index") + " " + choice.getJsonObject("delta");
        }).toList();
    }

    @Test
    void interleavedChoicesGetOneRoleChunkEach() {
        ChatStreamEncoder encoder = new ChatStreamEncoder(1700000000L, false);
        List<SseEvent> chunks = new ArrayList<>();
        for (LlmEvent event : List.of(new LlmEvent.Start("chatcmpl-1", "m"), new LlmEvent.TextDelta(0, 0, "a"),
                new LlmEvent.TextDelta(1, 0, "b"), new LlmEvent.TextDelta(0, 0, "c"), new LlmEvent.TextDelta(1, 0, "d"),
                new LlmEvent.TextDelta(2, 0, "e"), new LlmEvent.TextDelta(1, 0, "f"),
                new LlmEvent.Finish(0, FinishReason.STOP), new LlmEvent.Finish(1, FinishReason.STOP),
                new LlmEvent.Finish(2, FinishReason.STOP))) {
            encoder.onEvent(event, chunks::add);
        }

        assertThat(deltas(chunks)).containsExactly(
                "0 {\"role\":\"assistant\",\"content\":\"\"}", "0 {\"content\":\"a\"}",
                "1 {\"role\":\"assistant\",\"content\":\"\"}", "1 {\"content\":\"b\"}",
                "0 {\"content\":\"c\"}", "1 {\"content\":\"d\"}",
                "2 {\"role\":\"assistant\",\"content\":\"\"}", "2 {\"content\":\"e\"}", "1 {\"content\":\"f\"}",
                "0 {}", "1 {}", "2 {}");
    }
}
