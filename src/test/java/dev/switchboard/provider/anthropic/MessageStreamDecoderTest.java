package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatFormat;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmEvent;
import dev.switchboard.provider.http.DecodedStream;
import dev.switchboard.sse.SseParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic stream decoder with the Chat door's encoder gives the chunks the Chat translator's
 * fixtures expect ({@code fixtures/anthropic/*.expected.jsonl}, {@code created} aside, which the
 * encoder takes from the clock), and it keeps what Chat drops: thinking signatures and redacted
 * thinking.
 */
class MessageStreamDecoderTest {
    static String normalise(String chunk) {
        return chunk.replaceAll("\"created\":\\d+", "\"created\":0");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"text, false", "parallel-tools, false", "thinking-text, false", "cache-usage, false",
            "json-mode, true", "server-tool, false"})
    void fixturesGiveTheExpectedChatChunks(String fixture, boolean jsonMode) {
        DecodedStream stream = new DecodedStream(new MessageStreamDecoder("anthropic-main", "claude-configured", jsonMode),
                ChatFormat.of(true).streamEncoder("req"));
        List<String> chunks = new ArrayList<>();
        SseParser parser = new SseParser(event -> stream.onEvent(event,
                chunk -> chunks.add(normalise(new String(chunk.data(), StandardCharsets.UTF_8)))));
        byte[] sse = Fixtures.bytes(fixture + ".sse");
        parser.feed(sse, 0, sse.length);
        assertThat(stream.isFinished()).isTrue();
        stream.finish(chunk -> chunks.add(normalise(new String(chunk.data(), StandardCharsets.UTF_8))));

        assertThat(chunks).containsExactlyElementsOf(
                Fixtures.text(fixture + ".expected.jsonl").lines().map(MessageStreamDecoderTest::normalise).toList());
    }

    static List<LlmEvent> decode(byte[] sse) {
        MessageStreamDecoder decoder = new MessageStreamDecoder("anthropic-main", "claude-configured", false);
        List<LlmEvent> events = new ArrayList<>();
        new SseParser(event -> decoder.onEvent(event, events::add)).feed(sse, 0, sse.length);
        decoder.finish(events::add);
        return events;
    }

    @Test
    void signaturesAndRedactedThinkingComeThrough() {
        String sse = """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","model":"claude-sonnet-4-5","usage":{"input_tokens":5,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"EmwKAhgB"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"thinking","thinking":"","signature":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"Hm."}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"EqQB"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}

                event: message_stop
                data: {"type":"message_stop"}

                """;

        List<LlmEvent> events = decode(sse.getBytes(StandardCharsets.UTF_8));

        assertThat(events).contains(
                new LlmEvent.SignatureDelta(0, 0, Content.Reasoning.REDACTED + "EmwKAhgB", "anthropic"),
                new LlmEvent.ReasoningDelta(0, 1, "Hm."),
                new LlmEvent.SignatureDelta(0, 1, "EqQB", "anthropic"));
    }

    @Test
    void aWholeMessageKeepsSignaturesToo() {
        byte[] body = """
                {"id":"msg_1","model":"claude-sonnet-4-5","stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":9},
                 "content":[{"type":"redacted_thinking","data":"EmwKAhgB"},{"type":"thinking","thinking":"Hm.","signature":"EqQB"},
                            {"type":"text","text":"Hi"}]}
                """.getBytes(StandardCharsets.UTF_8);

        List<Content> content = MessageDecoder.decode("anthropic-main", body, body.length, "claude", false).content();

        assertThat(((Content.Reasoning) content.get(0)).redactedData()).isEqualTo("EmwKAhgB");
        assertThat(((Content.Reasoning) content.get(1)).signature()).isEqualTo("EqQB");
        assertThat(content.get(2)).isInstanceOf(Content.Text.class);
    }
}
