package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.chat.ChatFormat;
import dev.switchboard.chat.ChatJson;
import dev.switchboard.ingress.messages.MessagesFormat;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.mapping.TokenEstimate;
import dev.switchboard.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamEstimateTest {
    private static final String[] WORDS = {" the", " gateway", " counts", " tokens", " of", " every", " stream", " précis",
            " 42", " naïve", "\n", " Übersetzung", " and", " budgets", " hold", " exactly", ",", " 数据"};

    private final ChatJson chat = new ChatJson("chatcmpl-1", 1767225600, "gpt-4o-mini", true);

    /** {@code count} content chunks of one word each, as OpenAI streams them; their text is appended to {@code text}. */
    private List<SseEvent> chatStream(int count, StringBuilder text) {
        Random random = new Random(7);
        List<SseEvent> events = new ArrayList<>();
        events.add(SseEvent.of(chat.roleChunk(0)));
        for (int i = 0; i < count; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            text.append(word);
            events.add(SseEvent.of(chat.contentChunk(0, word)));
        }
        events.add(SseEvent.of(chat.finishChunk(0, "stop")));
        return events;
    }

    private static StreamEstimate estimateOf(ChatFormat format, List<SseEvent> events) {
        StreamEstimate estimate = new StreamEstimate(format);
        events.forEach(estimate::add);
        return estimate;
    }

    @Test
    void aStreamWithinTheSampleIsCountedExactly() {
        StringBuilder text = new StringBuilder();
        List<SseEvent> events = chatStream(20, text);
        events.add(1, SseEvent.of(chat.reasoningChunk(0, "Let me think.")));
        events.add(SseEvent.of(chat.toolCallStartChunk(0, 0, "call_1", "get_weather", "")));
        events.add(SseEvent.of(chat.toolCallArgumentsChunk(0, 0, "{\"city\":\"Paris\"}")));

        StreamEstimate estimate = estimateOf(ChatFormat.of(false), events);

        assertThat(estimate.completionTokens()).isEqualTo(TokenEstimate.count(
                "Let me think." + text + "get_weather" + "{\"city\":\"Paris\"}"));
        assertThat(estimate.usage(120)).isEqualTo(new Usage(120, estimate.completionTokens()));
    }

    @Test
    void aLongStreamIsExtrapolatedFromItsSampleByBytes() {
        StringBuilder text = new StringBuilder();
        List<SseEvent> events = chatStream(20_000, text);

        StreamEstimate estimate = estimateOf(ChatFormat.of(false), events);

        long exact = TokenEstimate.count(text.toString());
        assertThat((double) estimate.completionTokens()).as("exactly %s", exact).isCloseTo(exact, within(exact * 0.10));
    }

    @Test
    void theSampleIsBounded() {
        StreamEstimate estimate = estimateOf(ChatFormat.of(false), chatStream(20_000, new StringBuilder()));

        assertThat(estimate.sampledBytes()).isBetween(StreamEstimate.SAMPLE_BYTES / 2 - 512L,
                (long) StreamEstimate.SAMPLE_BYTES);
    }

    @Test
    void eventsWithoutATokenCountForNothing() {
        StreamEstimate estimate = estimateOf(ChatFormat.of(true), List.of(SseEvent.of(chat.roleChunk(0)),
                SseEvent.of(chat.finishChunk(0, "stop")), SseEvent.of(chat.usageChunk(new Usage(5, 6)))));

        assertThat(estimate.generated()).isFalse();
        assertThat(estimate.completionTokens()).isZero();
        assertThat(estimate.usage(33)).isEqualTo(new Usage(33, 0));
    }

    @Test
    void aMessagesStreamCountsTextThinkingAndToolInputButNotSignatures() {
        StreamEstimate estimate = new StreamEstimate(MessagesFormat.INSTANCE);
        estimate.add(messages("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[]}}"));
        estimate.add(messages("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Hmm, Paris.\"}}"));
        estimate.add(messages("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCkgIARABGAIiQL\"}}"));
        estimate.add(messages("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"It is sunny.\"}}"));
        estimate.add(messages("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}"));

        assertThat(estimate.completionTokens()).isEqualTo(TokenEstimate.count("Hmm, Paris.It is sunny.{\"city\":"));
    }

    @Test
    void anEventItCannotReadAddsNothing() {
        StreamEstimate estimate = new StreamEstimate(ChatFormat.of(false));
        estimate.add(SseEvent.of("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]".getBytes(StandardCharsets.UTF_8)));

        assertThat(estimate.generated()).isTrue();
        assertThat(estimate.completionTokens()).isZero();
    }

    /**
     * The estimates of fixed streams of every door, midway and at the end, as they were when the
     * sample kept whole events: packing the sample changes none of them.
     */
    @Test
    void estimatesOfFixedStreamsAreUnchanged() {
        assertThat(checkpoints(StreamEstimateFixtures.chat(40, 1))).containsExactly(14, 62);
        assertThat(checkpoints(StreamEstimateFixtures.chat(300, 2))).containsExactly(121, 680);
        assertThat(checkpoints(StreamEstimateFixtures.chat(3000, 3))).containsExactly(1779, 9790);
        assertThat(checkpoints(StreamEstimateFixtures.chat(20_000, 4))).containsExactly(9802, 55699);
        assertThat(checkpoints(StreamEstimateFixtures.messages(2000, 5))).containsExactly(953, 2503);
        assertThat(checkpoints(StreamEstimateFixtures.responses(2000, 6))).containsExactly(880, 2696);
    }

    /** The estimate after a third of the fixture's events and after all of them. */
    private static long[] checkpoints(StreamEstimateFixtures.Fixture fixture) {
        StreamEstimate estimate = new StreamEstimate(fixture.format());
        List<SseEvent> events = fixture.events();
        long[] estimates = new long[2];
        for (int i = 0; i < events.size(); i++) {
            estimate.add(events.get(i));
            if (i == events.size() / 3) {
                estimates[0] = estimate.completionTokens();
            }
        }
        estimates[1] = estimate.completionTokens();
        return estimates;
    }

    /**
     * A stream of 50 one-word chunks, about 5 KB of events, keeps its sample in an eighth of that:
     * the bytes each chunk adds to the one before, not the chunks.
     */
    @Test
    void theSampleKeepsWhatEachEventAddsNotTheEvents() {
        List<SseEvent> events = chatStream(50, new StringBuilder());
        StreamEstimate estimate = estimateOf(ChatFormat.of(false), events);

        assertThat(estimate.sampledBytes()).isGreaterThan(4 * 1024);
        assertThat((long) estimate.sampleCapacity()).isLessThanOrEqualTo(estimate.sampledBytes() / 8);
    }

    @Test
    void aStreamWithoutTokensHoldsNoSample() {
        StreamEstimate estimate = estimateOf(ChatFormat.of(false), List.of(SseEvent.of(chat.roleChunk(0))));

        assertThat(estimate.sampleCapacity()).isZero();
    }

    private static SseEvent messages(String type, String json) {
        return new SseEvent(type, json.getBytes(StandardCharsets.UTF_8));
    }
}
