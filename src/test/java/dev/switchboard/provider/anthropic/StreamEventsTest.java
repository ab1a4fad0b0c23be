package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.chat.ChatFormat;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.json.JsonScanner;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.DecodedStream;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseParser;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frequent stream events read from their bytes mean what they mean parsed: for every event of
 * the recorded fixtures ({@code fixtures/anthropic/*.sse}, {@code escapes.sse} gathering escapes,
 * field orders, whitespace and duplicates), and for shapes an upstream could send.
 */
class StreamEventsTest {
    private static final String[] FIXTURES = {"text", "parallel-tools", "thinking-text", "cache-usage", "json-mode",
        "server-tool", "error-midstream", "escapes"};

    private static List<SseEvent> events(String fixture) {
        List<SseEvent> events = new ArrayList<>();
        byte[] sse = Fixtures.bytes(fixture + ".sse");
        new SseParser(events::add).feed(sse, 0, sse.length);
        return events;
    }

    /** What a usage reads as after a message_start's, the tree's way or the scanner's. */
    private static Usage afterStart(Object usage) {
        UsageTally tally = new UsageTally().update(Json.parseObject(
                "{\"input_tokens\":7,\"cache_read_input_tokens\":5,\"cache_creation_input_tokens\":3,"
                        + "\"cache_creation\":{\"ephemeral_1h_input_tokens\":2},\"output_tokens\":1,"
                        + "\"output_tokens_details\":{\"thinking_tokens\":1}}"));
        return (usage instanceof JsonObject tree ? tally.update(tree) : tally.update((UsageTally.Counts) usage)).toUsage();
    }

    private static JsonScanner scanner(byte[] data) {
        return new JsonScanner(data);
    }

    @Test
    void everyFixtureEventScansAsItParses() {
        List<String> notScanned = new ArrayList<>();
        int scanned = 0;
        for (String fixture : FIXTURES) {
            for (SseEvent event : events(fixture)) {
                String type = String.valueOf(event.type());
                if (!List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
                        "message_delta").contains(type)) {
                    continue;
                }
                JsonObject tree = Json.parseObject(event.data());
                try {
                    switch (type) {
                        case "message_start" -> {
                            StreamEvents.MessageStart start = StreamEvents.scanMessageStart(scanner(event.data()));
                            JsonObject message = JsonFields.object(tree, "message");
                            assertThat(start.id()).isEqualTo(JsonFields.string(message, "id"));
                            assertThat(start.model()).isEqualTo(JsonFields.string(message, "model"));
                            assertThat(afterStart(start.usage())).as(event.dataAsString())
                                    .isEqualTo(afterStart(JsonFields.object(message, "usage")));
                        }
                        case "content_block_start" -> assertThat(StreamEvents.scanBlockStart(scanner(event.data())))
                                .as(event.dataAsString()).isEqualTo(StreamEvents.blockStart(tree));
                        case "content_block_delta" -> assertThat(StreamEvents.scanBlockDelta(scanner(event.data())))
                                .as(event.dataAsString()).isEqualTo(StreamEvents.blockDelta(tree));
                        case "content_block_stop" -> assertThat(StreamEvents.scanBlockStop(scanner(event.data())))
                                .as(event.dataAsString()).isEqualTo(StreamEvents.blockStop(tree));
                        default -> {
                            StreamEvents.MessageDelta delta = StreamEvents.scanMessageDelta(scanner(event.data()));
                            assertThat(delta.stopReason()).isEqualTo(StreamEvents.stopReason(tree));
                            assertThat(afterStart(delta.usage())).as(event.dataAsString())
                                    .isEqualTo(afterStart(JsonFields.object(tree, "usage")));
                        }
                    }
                    scanned++;
                } catch (JsonScanner.NotScanned e) {
                    notScanned.add(event.dataAsString());
                }
            }
        }

        assertThat(scanned).isGreaterThan(50);
        assertThat(notScanned).singleElement().asString().contains("\"index\":1.0");
    }

    @Test
    void theEscapesFixtureGivesTheChunksTheTreeDecoderGave() {
        DecodedStream stream = new DecodedStream(new MessageStreamDecoder("anthropic-main", "claude-configured", false),
                ChatFormat.of(true).streamEncoder("req"));
        List<String> chunks = new ArrayList<>();
        byte[] sse = Fixtures.bytes("escapes.sse");
        new SseParser(event -> stream.onEvent(event, chunk -> chunks.add(
                MessageStreamDecoderTest.normalise(new String(chunk.data(), StandardCharsets.UTF_8)))))
                .feed(sse, 0, sse.length);
        stream.finish(chunk -> chunks.add(MessageStreamDecoderTest.normalise(new String(chunk.data(), StandardCharsets.UTF_8))));

        assertThat(chunks).containsExactlyElementsOf(
                Fixtures.text("escapes.expected.jsonl").lines().map(MessageStreamDecoderTest::normalise).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"},\"delta\":5}",
        "{\"index\":2,\"delta\":null}",
        "{\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
        "{\"index\":null,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
        "{\"index\":\"2\",\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
        "{\"index\":-3,\"delta\":{\"type\":7,\"text\":[\"a\"],\"thinking\":{}}}",
        "{\"index\":2,\"index\":4,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\",\"text\":null}}",
        "{\"index\":2,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"t\",\"signature\":\"s\",\"partial_json\":\"p\"}}",
    })
    void oddDeltaShapesScanAsTheyParse(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);

        assertThat(StreamEvents.scanBlockDelta(scanner(bytes))).isEqualTo(StreamEvents.blockDelta(Json.parseObject(bytes)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":null}",
        "{\"delta\":null,\"usage\":{\"output_tokens\":\"9\",\"input_tokens\":null}}",
        "{\"delta\":{\"stop_reason\":7},\"usage\":{\"output_tokens\":9},\"usage\":{\"input_tokens\":4}}",
        "{\"usage\":{\"cache_creation\":null,\"output_tokens_details\":{\"thinking_tokens\":null}}}",
        "{\"usage\":{\"cache_creation\":{\"ephemeral_1h_input_tokens\":9},\"cache_creation\":{}}}",
        "{\"usage\":{\"cache_creation_input_tokens\":12,\"cache_creation\":{\"ephemeral_1h_input_tokens\":4},"
                + "\"cache_read_input_tokens\":30,\"output_tokens_details\":{\"thinking_tokens\":40},\"output_tokens\":50}}",
        "{\"usage\":{\"output_tokens\":-2}}",
        "{}",
    })
    void oddMessageDeltaShapesScanAsTheyParse(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        JsonObject tree = Json.parseObject(bytes);
        StreamEvents.MessageDelta scanned = StreamEvents.scanMessageDelta(scanner(bytes));

        assertThat(scanned.stopReason()).isEqualTo(StreamEvents.stopReason(tree));
        assertThat(afterStart(scanned.usage())).isEqualTo(afterStart(JsonFields.object(tree, "usage")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"index\":3,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{\"a\":[1,{}]}}}",
        "{\"content_block\":{\"name\":\"f\",\"type\":\"tool_use\"},\"index\":1}",
        "{\"index\":0,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"Em\\/w==\"}}",
        "{\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"x\"},\"content_block\":null}",
        "{\"index\":0,\"content_block\":{\"type\":null,\"id\":5}}",
        "{\"index\":0}",
    })
    void oddBlockStartShapesScanAsTheyParse(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);

        assertThat(StreamEvents.scanBlockStart(scanner(bytes))).isEqualTo(StreamEvents.blockStart(Json.parseObject(bytes)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"message\":{\"id\":\"msg_1\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":5}}}",
        "{\"message\":{\"id\":\"msg_1\"},\"message\":{\"model\":\"m\"}}",
        "{\"message\":{\"id\":7,\"model\":null,\"usage\":[]}}",
        "{\"message\":\"msg_1\"}",
        "{}",
    })
    void oddMessageStartShapesScanAsTheyParse(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        JsonObject message = JsonFields.object(Json.parseObject(bytes), "message");
        StreamEvents.MessageStart start = StreamEvents.scanMessageStart(scanner(bytes));

        assertThat(start.id()).isEqualTo(JsonFields.string(message, "id"));
        assertThat(start.model()).isEqualTo(JsonFields.string(message, "model"));
        assertThat(afterStart(start.usage())).isEqualTo(afterStart(JsonFields.object(message, "usage")));
    }

    @Test
    void aMalformedEventIsLeftToTheTreeParserWhichRefusesIt() {
        byte[] bytes = "{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> StreamEvents.scanBlockDelta(scanner(bytes))).isInstanceOf(JsonScanner.NotScanned.class);
        assertThatThrownBy(() -> decodeOneDelta(bytes)).isInstanceOf(RuntimeException.class)
                .isNotInstanceOf(JsonScanner.NotScanned.class);
    }

    private static void decodeOneDelta(byte[] data) {
        MessageStreamDecoder decoder = new MessageStreamDecoder("anthropic-main", "claude-configured", false);
        decoder.onEvent(new SseEvent("message_start", "{\"message\":{\"id\":\"msg_1\"}}".getBytes(StandardCharsets.UTF_8)),
                event -> { });
        decoder.onEvent(new SseEvent("content_block_delta", data), event -> { });
    }
}
