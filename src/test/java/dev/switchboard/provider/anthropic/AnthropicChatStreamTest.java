package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.chat.ChatFormat;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.http.DecodedStream;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Chat door's stream from Anthropic (the decoder, {@link MessageStreamDecoder}, and the Chat
 * encoder) fed recorded Anthropic streams ({@code fixtures/anthropic/*.sse}, exact wire format)
 * through the real SSE parser, checked chunk by chunk against {@code *.expected.jsonl}
 * ({@code created} fixed, which the encoder takes from the clock).
 */
class AnthropicChatStreamTest {
    static final long CREATED = 1_767_225_600L;
    static final String PROVIDER = "anthropic-main";
    static final String FALLBACK_MODEL = "claude-configured";
    /** Fixed so that a failure of the random-split test can be replayed. */
    static final long SEED = 20260801L;
    static final int RANDOM_RUNS = 50;
    static final int MAX_PIECE = 23;

    /** What one translated stream produced. */
    record Run(List<String> chunks, Usage usage, boolean complete, GatewayException error) {
    }

    static Run run(byte[] sse, int[] pieceSizes, boolean includeUsage, boolean jsonMode) {
        StreamTranslator translator = translator(includeUsage, jsonMode);
        List<String> chunks = new ArrayList<>();
        SseParser parser = new SseParser(event -> translator.onEvent(event,
                chunk -> chunks.add(created(new String(chunk.data(), StandardCharsets.UTF_8)))));
        GatewayException error = null;
        try {
            int offset = 0;
            for (int i = 0; offset < sse.length; i++) {
                int size = Math.min(pieceSizes.length == 0 ? sse.length : pieceSizes[i % pieceSizes.length],
                        sse.length - offset);
                // A fresh array per read, as the network delivers them.
                byte[] piece = Arrays.copyOfRange(sse, offset, offset + size);
                parser.feed(piece, 0, piece.length);
                offset += size;
            }
        } catch (GatewayException e) {
            error = e;
        }
        Usage usage = null;
        if (error == null && translator.isComplete()) {
            usage = translator.finish(chunk -> chunks.add(created(new String(chunk.data(), StandardCharsets.UTF_8))));
        }
        return new Run(chunks, usage, translator.isComplete(), error);
    }

    static StreamTranslator translator(boolean includeUsage, boolean jsonMode) {
        return new DecodedStream(new MessageStreamDecoder(PROVIDER, FALLBACK_MODEL, jsonMode),
                ChatFormat.of(includeUsage).streamEncoder("req"));
    }

    /** The chunk with {@link #CREATED} for the clock's {@code created}. */
    static String created(String chunk) {
        return chunk.replaceFirst("\"created\":\\d+", "\"created\":" + CREATED);
    }

    static Run whole(String fixture, boolean jsonMode) {
        return run(Fixtures.bytes(fixture + ".sse"), new int[0], true, jsonMode);
    }

    static List<String> expected(String fixture) {
        return Fixtures.text(fixture + ".expected.jsonl").lines().toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // fixture,      jsonMode, prompt, completion, cached, reasoning, 5m writes
            "text,           false,    25,     15,         0,      0,         0",
            "parallel-tools, false,    472,    89,         0,      0,         0",
            "thinking-text,  false,    40,     112,        0,      80,        0",
            "cache-usage,    false,    2212,   6,          1800,   0,         400",
            "json-mode,      true,     60,     22,         0,      0,         0",
            "server-tool,    false,    300,    40,         0,      0,         0",
    })
    void translatesRecordedStreamsToTheExactChunks(String fixture, boolean jsonMode, long prompt, long completion,
                                                   long cached, long reasoning, long cacheWrites) {
        Run run = whole(fixture, jsonMode);

        assertThat(run.error()).isNull();
        assertThat(run.chunks()).containsExactlyElementsOf(expected(fixture));
        assertThat(run.complete()).isTrue();
        assertThat(run.usage()).isEqualTo(new Usage(prompt, completion, cached, reasoning, cacheWrites, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "parallel-tools", "thinking-text", "cache-usage", "json-mode", "server-tool",
            "error-midstream"})
    void randomlySizedReadsGiveTheSameChunks(String fixture) {
        boolean jsonMode = fixture.equals("json-mode");
        byte[] sse = Fixtures.bytes(fixture + ".sse");
        Run reference = run(sse, new int[0], true, jsonMode);
        Random random = new Random(SEED);
        for (int r = 0; r < RANDOM_RUNS; r++) {
            int[] sizes = random.ints(64, 1, MAX_PIECE + 1).toArray();
            Run pieces = run(sse, sizes, true, jsonMode);
            assertThat(pieces.chunks()).as("run %d, sizes %s", r, Arrays.toString(sizes))
                    .containsExactlyElementsOf(reference.chunks());
            assertThat(pieces.usage()).isEqualTo(reference.usage());
            assertThat(pieces.error() == null ? null : pieces.error().error()).as("run %d", r)
                    .isEqualTo(reference.error() == null ? null : reference.error().error());
        }
        assertThat(reference.chunks()).isNotEmpty();
        assertThat(reference.error() != null).as("only the error fixture fails").isEqualTo(fixture.equals("error-midstream"));
    }

    @Test
    void multiByteCharactersSplitAcrossReadsAreReassembled() {
        byte[] sse = Fixtures.bytes("text.sse");
        List<String> reference = expected("text");
        int splitsInsideCharacters = 0;
        for (int at = 1; at < sse.length; at++) {
            if ((sse[at] & 0xC0) != 0x80) {
                continue; // not a continuation byte: this split does not cut a character
            }
            splitsInsideCharacters++;
            Run run = run(sse, new int[] {at, sse.length}, true, false);
            assertThat(run.chunks()).as("split at byte %d", at).containsExactlyElementsOf(reference);
        }
        // é, ç, 日本語, 🎉, — and ✓ give more than a dozen such split points.
        assertThat(splitsInsideCharacters).isGreaterThan(12);
        assertThat(run(sse, new int[] {1}, true, false).chunks()).containsExactlyElementsOf(reference);
    }

    @Test
    void anErrorEventMidStreamThrowsTheMappedErrorAfterTheChunksSoFar() {
        Run run = whole("error-midstream", false);

        assertThat(run.chunks()).containsExactlyElementsOf(expected("error-midstream"));
        assertThat(run.complete()).isFalse();
        assertThat(run.error()).isNotNull();
        GatewayError error = run.error().error();
        assertThat(error.status()).isEqualTo(503);
        assertThat(error.type()).isEqualTo("server_error");
        assertThat(error.code()).isEqualTo("upstream_overloaded");
        assertThat(error.message()).isEqualTo("Provider 'anthropic-main' failed (overloaded_error): Overloaded");
    }

    @Test
    void withoutIncludeUsageThereIsNoUsageChunkAndNoUsageField() {
        Run run = run(Fixtures.bytes("text.sse"), new int[0], false, false);

        List<String> withoutUsage = expected("text").stream()
                .filter(chunk -> !chunk.contains("\"choices\":[]"))
                .map(chunk -> chunk.replace(",\"usage\":null", ""))
                .toList();
        assertThat(run.chunks()).containsExactlyElementsOf(withoutUsage);
        assertThat(run.chunks()).noneMatch(chunk -> chunk.contains("usage"));
        // The gateway still learns the usage, for its own accounting.
        assertThat(run.usage()).isEqualTo(new Usage(25, 15, 0, 0));
    }

    @Test
    void chunksGoOutAsEventsArriveNotAtTheEnd() {
        String sse = Fixtures.text("text.sse");
        int firstDelta = sse.indexOf("event: content_block_delta");
        int afterFirstDelta = sse.indexOf("\n\n", firstDelta) + 2;
        byte[] head = sse.substring(0, afterFirstDelta).getBytes(StandardCharsets.UTF_8);

        Run run = run(head, new int[0], true, false);

        assertThat(run.chunks()).containsExactlyElementsOf(expected("text").subList(0, 2));
        assertThat(run.complete()).as("no message_stop yet").isFalse();
    }

    @Test
    void aStreamCutBeforeMessageStopIsNotComplete() {
        String sse = Fixtures.text("text.sse");
        byte[] cut = sse.substring(0, sse.indexOf("event: message_stop")).getBytes(StandardCharsets.UTF_8);

        Run run = run(cut, new int[0], true, false);

        assertThat(run.complete()).isFalse();
        // Everything up to the finish chunk was already sent.
        assertThat(run.chunks()).containsExactlyElementsOf(expected("text").subList(0, 5));
    }

    @Test
    void theReplyIsFinishedAtMessageStopAndNotBefore() {
        StreamTranslator translator = translator(true, false);
        List<Boolean> afterEachEvent = new ArrayList<>();
        SseParser parser = new SseParser(event -> {
            translator.onEvent(event, chunk -> { });
            afterEachEvent.add(translator.isFinished());
        });
        byte[] body = Fixtures.text("text.sse").getBytes(StandardCharsets.UTF_8);

        parser.feed(body, 0, body.length);

        assertThat(afterEachEvent.get(afterEachEvent.size() - 1)).isTrue();
        assertThat(afterEachEvent.subList(0, afterEachEvent.size() - 1)).doesNotContain(true);
    }

    @Test
    void messageStopWithoutStopReasonStillFinishesTheChoiceAndLaterEventsAreIgnored() {
        String sse = """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_X","type":"message","role":"assistant","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}

                event: message_stop
                data: {"type":"message_stop"}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"late"}}

                """;
        Run run = run(sse.getBytes(StandardCharsets.UTF_8), new int[0], false, false);

        assertThat(run.complete()).isTrue();
        assertThat(run.chunks()).containsExactly(
                "{\"id\":\"msg_X\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"claude-configured\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}]}",
                "{\"id\":\"msg_X\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"claude-configured\","
                        + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}");
        assertThat(run.usage()).isEqualTo(new Usage(3, 1, 0, 0));
    }

    @Test
    void unknownEventsAreSkippedUnreadEvenWhenTheirDataIsNotJson() {
        String sse = Fixtures.text("text.sse").replace("event: ping\ndata: {\"type\": \"ping\"}\n",
                "event: ping\ndata: keep-alive\n\nevent: some_future_event\ndata: <not json>\ndata: {\n");
        assertThat(sse).contains("some_future_event");

        Run run = run(sse.getBytes(StandardCharsets.UTF_8), new int[0], true, false);

        assertThat(run.error()).isNull();
        assertThat(run.chunks()).containsExactlyElementsOf(expected("text"));
    }

    @Test
    void anEventWithoutANameIsTranslatedByTheTypeInItsData() {
        String sse = Fixtures.text("text.sse").replaceAll("(?m)^event: .*\n", "");

        Run run = run(sse.getBytes(StandardCharsets.UTF_8), new int[0], true, false);

        assertThat(run.chunks()).containsExactlyElementsOf(expected("text"));
    }

    @Test
    void contentBeforeMessageStartIsAProtocolViolation() {
        String sse = """
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}

                """;
        // HttpAttempt reports any such exception as the provider's unreadable stream (502).
        assertThatThrownBy(() -> run(sse.getBytes(StandardCharsets.UTF_8), new int[0], true, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before message_start");
    }
}
