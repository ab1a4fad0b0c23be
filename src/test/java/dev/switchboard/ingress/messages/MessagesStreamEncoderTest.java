package dev.switchboard.ingress.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import dev.switchboard.ingress.DecodedFixtures;
import dev.switchboard.json.Json;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmEvent;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Messages door's encoder, checked by Anthropic's own Java SDK: each event it writes is read
 * by the SDK's event type and folded by its {@code MessageAccumulator}, which enforces the order
 * Anthropic's stream has (docs/protocols/anthropic-messages-ingress.md §4.3).
 */
class MessagesStreamEncoderTest {
    static List<SseEvent> encode(List<LlmEvent> events, Usage usage) {
        MessagesStreamEncoder encoder = new MessagesStreamEncoder();
        List<SseEvent> out = new ArrayList<>();
        events.forEach(event -> encoder.onEvent(event, out::add));
        encoder.finish(usage, out::add);
        return out;
    }

    static Message accumulate(List<SseEvent> events) throws Exception {
        MessageAccumulator accumulator = MessageAccumulator.create();
        for (SseEvent event : events) {
            String data = new String(event.data(), StandardCharsets.UTF_8);
            assertThat(Json.parseObject(data).getString("type")).as("the name is the data's type").isEqualTo(event.type());
            accumulator.accumulate(ObjectMappers.jsonMapper().readValue(data, RawMessageStreamEvent.class));
        }
        return accumulator.message();
    }

    @Test
    void toolCallsBecomeToolUseBlocksTheSdkAccumulates() throws Exception {
        DecodedFixtures.Reply reply = DecodedFixtures.of("anthropic/parallel-tools");

        List<SseEvent> events = encode(reply.events(), reply.usage());
        Message message = accumulate(events);

        assertThat(events.get(0).type()).isEqualTo("message_start");
        assertThat(events.get(events.size() - 2).type()).isEqualTo("message_delta");
        assertThat(events.get(events.size() - 1).type()).isEqualTo("message_stop");
        assertThat(message.content()).hasSize(4);
        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("I'll check both.");
        assertThat(message.content().get(1).toolUse().orElseThrow().id()).isEqualTo("toolu_01Weather");
        assertThat(message.content().get(1).toolUse().orElseThrow()._input().toString()).contains("Paris");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.usage().inputTokens()).isEqualTo(472);
        assertThat(message.usage().outputTokens()).isEqualTo(89);
    }

    @Test
    void reasoningIsAThinkingBlockAndOnlyAnthropicsSignatureIsSent() throws Exception {
        List<LlmEvent> events = List.of(new LlmEvent.Start("chatcmpl-1", "gemini-2.5-pro"),
                new LlmEvent.BlockStart(0, 0, LlmEvent.BlockType.REASONING, null, null, ""),
                new LlmEvent.ReasoningDelta(0, 0, "Think."),
                new LlmEvent.SignatureDelta(0, 0, "gemini-signature", "gemini"),
                new LlmEvent.BlockStop(0, 0),
                new LlmEvent.BlockStart(0, 1, LlmEvent.BlockType.TEXT, null, null, ""),
                new LlmEvent.TextDelta(0, 1, "Done."),
                new LlmEvent.Finish(0, FinishReason.LENGTH));

        List<SseEvent> out = encode(events, new Usage(100, 20, 60, 5, 10, 0));
        Message message = accumulate(out);

        assertThat(message.id()).isEqualTo("msg_chatcmpl-1");
        assertThat(message.content().get(0).thinking().orElseThrow().thinking()).isEqualTo("Think.");
        assertThat(out).noneMatch(e -> new String(e.data(), StandardCharsets.UTF_8).contains("gemini-signature"));
        assertThat(message.stopReason()).contains(StopReason.MAX_TOKENS);
        JsonObject delta = Json.parseObject(out.get(out.size() - 2).data());
        assertThat(delta.getJsonObject("usage").getInt("input_tokens")).as("without cache reads and writes").isEqualTo(30);
        assertThat(delta.getJsonObject("usage").getInt("cache_read_input_tokens")).isEqualTo(60);
        assertThat(delta.getJsonObject("usage").getInt("cache_creation_input_tokens")).isEqualTo(10);
    }

    @Test
    void onlyContentBlockDeltasCarryTokens() {
        List<SseEvent> events = encode(DecodedFixtures.of("anthropic/text").events(), null);
        assertThat(events.stream().filter(MessagesFormat.INSTANCE::carriesToken).map(SseEvent::type).distinct())
                .containsExactly("content_block_delta");
        assertThat(events.stream().filter(MessagesFormat.INSTANCE::carriesToken)).hasSize(3);
    }
}
