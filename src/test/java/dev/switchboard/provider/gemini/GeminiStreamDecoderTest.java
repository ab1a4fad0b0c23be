package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.gemini.StreamHarness.expected;
import static dev.switchboard.provider.gemini.StreamHarness.fixture;
import static dev.switchboard.provider.gemini.TestJson.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.DecodedStream;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.sse.SseParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recorded Gemini streams decoded into the internal model ({@link GeminiStreamDecoder}) and written
 * by the Chat door's encoder: exact OpenAI chunks out ({@code created} fixed), however the bytes are cut.
 */
class GeminiStreamDecoderTest {
    private static final ModelConfig MODEL = new ModelConfig("gem", "google", "gemini-2.5-flash", null);
    private static final String PLAIN = "{'model':'gem','messages':[{'role':'user','content':'x'}],'stream':true}";
    private static final String WITH_USAGE = "{'model':'gem','messages':[{'role':'user','content':'x'}],'stream':true,"
            + "'stream_options':{'include_usage':true}}";
    private static final String TWO_CHOICES = "{'model':'gem','messages':[{'role':'user','content':'x'}],'stream':true,'n':2}";
    /** Fixed seeds: a failure reproduces. */
    private static final int SEEDS = 25;
    private static final int MAX_PIECE = 23;

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("text", WITH_USAGE, new Usage(9, 12, 0, 0)),
                Arguments.of("parallel_calls", PLAIN, new Usage(40, 46, 0, 26)),
                Arguments.of("thoughts", WITH_USAGE, new Usage(120, 55, 64, 40)),
                Arguments.of("prompt_blocked", WITH_USAGE, new Usage(7, 0, 0, 0)),
                Arguments.of("candidate_safety", PLAIN, new Usage(11, 3, 0, 0)),
                Arguments.of("two_candidates", TWO_CHOICES, new Usage(5, 4, 0, 0)));
    }

    private static StreamTranslator translator(String clientRequest) {
        ChatRequest request = request(clientRequest);
        return new DecodedStream(new GeminiStreamDecoder(ReplyContext.of(request.llmRequest(), MODEL, "fallback")),
                request.format().streamEncoder("req"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void translatesWholeStream(String name, String clientRequest, Usage usage) {
        StreamHarness.Result result = StreamHarness.whole(translator(clientRequest), fixture(name + ".sse"));

        assertThat(result.error()).isNull();
        assertThat(result.complete()).isTrue();
        assertThat(result.chunks()).containsExactlyElementsOf(expected(name + ".expected.jsonl"));
        assertThat(result.usage()).isEqualTo(usage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void givesTheSameChunksWhenCutIntoRandomPieces(String name, String clientRequest, Usage usage) {
        List<String> expected = expected(name + ".expected.jsonl");
        for (int seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            StreamHarness.Result result = StreamHarness.run(translator(clientRequest), fixture(name + ".sse"),
                    () -> 1 + random.nextInt(MAX_PIECE));

            assertThat(result.chunks()).as("seed %d", seed).containsExactlyElementsOf(expected);
            assertThat(result.usage()).as("seed %d", seed).isEqualTo(usage);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void givesTheSameChunksFedOneByteAtATime(String name, String clientRequest, Usage usage) {
        StreamHarness.Result result = StreamHarness.run(translator(clientRequest), fixture(name + ".sse"), () -> 1);

        assertThat(result.chunks()).containsExactlyElementsOf(expected(name + ".expected.jsonl"));
    }

    @Test
    void reassemblesCharactersSplitAcrossReads() {
        byte[] body = fixture("text.sse");
        byte[] globe = "🌍".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(body, globe);
        assertThat(at).as("fixture holds a 4-byte character").isPositive();
        int[] cuts = {at + 1, at + 2, at + 3};
        for (int cut : cuts) {
            int[] pieces = {cut, Integer.MAX_VALUE};
            int[] next = {0};
            StreamHarness.Result result = StreamHarness.run(translator(WITH_USAGE), body, () -> pieces[next[0]++]);

            assertThat(result.chunks()).as("cut at %d", cut).containsExactlyElementsOf(expected("text.expected.jsonl"));
        }
    }

    @Test
    void isCompleteOnlyOnceEveryCandidateSeenHasFinished() {
        StreamTranslator translator = translator(TWO_CHOICES);
        List<Boolean> afterEachEvent = new ArrayList<>();
        SseParser parser = new SseParser(event -> {
            translator.onEvent(event, chunk -> { });
            afterEachEvent.add(translator.isComplete());
        });
        byte[] body = fixture("two_candidates.sse");

        assertThat(translator.isComplete()).isFalse();
        parser.feed(body, 0, body.length);

        // Event 2 finishes candidate 1 only; event 3 finishes candidate 0.
        assertThat(afterEachEvent).containsExactly(false, false, true);
    }

    /** Whether the translator says the reply is over after each event of {@code body}. */
    private static List<Boolean> finishedAfterEachEvent(StreamTranslator translator, byte[] body) {
        List<Boolean> afterEachEvent = new ArrayList<>();
        SseParser parser = new SseParser(event -> {
            translator.onEvent(event, chunk -> { });
            afterEachEvent.add(translator.isFinished());
        });
        parser.feed(body, 0, body.length);
        return afterEachEvent;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void isFinishedAtTheLastEventOfEveryRecordedStreamAndNotBefore(String name, String clientRequest, Usage usage) {
        List<Boolean> afterEachEvent = finishedAfterEachEvent(translator(clientRequest), fixture(name + ".sse"));

        assertThat(afterEachEvent.get(afterEachEvent.size() - 1)).isTrue();
        assertThat(afterEachEvent.subList(0, afterEachEvent.size() - 1)).doesNotContain(true);
    }

    @Test
    void aFinishWithoutUsageWaitsForTheUsageThatFollows() {
        String event = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hi\"}],\"role\": \"model\"},"
                + "\"index\": 0}],\"responseId\": \"r1\"}\r\n\r\n";
        String finish = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"\"}],\"role\": \"model\"},"
                + "\"finishReason\": \"STOP\",\"index\": 0}],\"responseId\": \"r1\"}\r\n\r\n";
        String usageOnly = "data: {\"usageMetadata\": {\"promptTokenCount\": 3,\"candidatesTokenCount\": 1,"
                + "\"totalTokenCount\": 4},\"responseId\": \"r1\"}\r\n\r\n";
        StreamTranslator translator = translator(WITH_USAGE);

        List<Boolean> afterEachEvent = finishedAfterEachEvent(translator,
                (event + finish + usageOnly).getBytes(StandardCharsets.UTF_8));

        assertThat(afterEachEvent).containsExactly(false, false, true);
        assertThat(translator.finish(chunk -> { })).isEqualTo(new Usage(3, 1));
    }

    @Test
    void oneFinishedCandidateOfTwoRequestedIsNotTheEnd() {
        String finish = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Red\"}],\"role\": \"model\"},"
                + "\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 5,"
                + "\"totalTokenCount\": 5},\"responseId\": \"r2\"}\r\n\r\n";

        assertThat(finishedAfterEachEvent(translator(TWO_CHOICES), finish.getBytes(StandardCharsets.UTF_8)))
                .containsExactly(false);
        assertThat(finishedAfterEachEvent(translator(PLAIN), finish.getBytes(StandardCharsets.UTF_8)))
                .containsExactly(true);
    }

    @Test
    void streamCutBeforeTheFinishReasonIsNotComplete() {
        byte[] body = fixture("text.sse");
        String text = new String(body, StandardCharsets.UTF_8);
        byte[] firstTwoEvents = text.substring(0, text.lastIndexOf("data: ")).getBytes(StandardCharsets.UTF_8);

        StreamHarness.Result result = StreamHarness.whole(translator(WITH_USAGE), firstTwoEvents);

        assertThat(result.complete()).isFalse();
        assertThat(result.chunks()).hasSize(3);
    }

    @Test
    void errorInTheStreamEndsItWithTheMappedError() {
        StreamHarness.Result result = StreamHarness.whole(translator(PLAIN), fixture("error.sse"));

        assertThat(result.chunks()).containsExactlyElementsOf(expected("error.expected.jsonl"));
        assertThat(result.error()).isNotNull();
        assertThat(result.error().error().status()).isEqualTo(503);
        assertThat(result.error().error().code()).isEqualTo("upstream_overloaded");
        assertThat(result.error().error().message()).contains("Provider 'google'").contains("overloaded");
    }

    @Test
    void aFailedTurnBeforeAnyContentEndsTheStreamWithAnErrorNotAnEmptyStop() {
        String stream = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Planning.\",\"thought\": true}],"
                + "\"role\": \"model\"},\"index\": 0}],\"responseId\": \"m1\"}\r\n\r\n"
                + "data: {\"candidates\": [{\"content\": {},\"finishReason\": \"MALFORMED_FUNCTION_CALL\",\"index\": 0}],"
                + "\"responseId\": \"m1\"}\r\n\r\n";

        StreamHarness.Result result = StreamHarness.whole(translator(PLAIN), stream.getBytes(StandardCharsets.UTF_8));

        assertThat(result.chunks()).hasSize(2).noneMatch(chunk -> chunk.contains("finish_reason\":\""));
        assertThat(result.error()).isNotNull();
        assertThat(result.error().error().status()).isEqualTo(502);
        assertThat(result.error().error().code()).isEqualTo("upstream_error");
        assertThat(result.error().error().message())
                .isEqualTo("Provider 'google' ended its reply with finishReason MALFORMED_FUNCTION_CALL and no content.");
    }

    @Test
    void aFailedTurnAfterSomeTextFinishesWithStop() {
        String stream = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Calling f.\"}]},\"index\": 0}]}\n\n"
                + "data: {\"candidates\": [{\"finishReason\": \"MALFORMED_FUNCTION_CALL\",\"index\": 0}]}\n\n";

        StreamHarness.Result result = StreamHarness.whole(translator(PLAIN), stream.getBytes(StandardCharsets.UTF_8));

        assertThat(result.error()).isNull();
        assertThat(result.complete()).isTrue();
        assertThat(result.chunks().get(result.chunks().size() - 1)).contains("\"finish_reason\":\"stop\"");
    }

    @Test
    void aBareJsonErrorAfterTheStreamStartedEndsItWithGeminisError() {
        GatewayError expected = new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "server_error", "upstream_error", null,
                "Provider 'google' failed (HTTP 500 INTERNAL): An internal error has occurred. Please retry or report in"
                        + " https://developers.generativeai.google/guide/troubleshooting", null);
        byte[] body = fixture("error_bare.sse");
        String text = new String(body, StandardCharsets.UTF_8);
        byte[] withoutFinalLineEnd = text.substring(0, text.length() - 2).getBytes(StandardCharsets.UTF_8);

        for (byte[] variant : List.of(body, withoutFinalLineEnd)) {
            for (int seed = 0; seed < SEEDS; seed++) {
                Random random = new Random(seed);
                StreamHarness.Result result = StreamHarness.run(translator(PLAIN), variant, () -> 1 + random.nextInt(MAX_PIECE));

                assertThat(result.chunks()).as("seed %d", seed).containsExactlyElementsOf(expected("error_bare.expected.jsonl"));
                assertThat(result.error()).as("seed %d", seed).isNotNull();
                assertThat(result.error().error()).isEqualTo(expected);
            }
        }
    }

    @Test
    void bareErrorsWrappedInAnArrayAndStrayTextAreHandledToo() {
        String wrapped = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hi\"}]},\"index\": 0}]}\n\n"
                + "[{\n  \"error\": {\"code\": 429, \"message\": \"Quota {per minute} exceeded\", \"status\": \"RESOURCE_EXHAUSTED\"}\n}]\n";
        String stray = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hi\"}]},\"finishReason\": \"STOP\","
                + "\"index\": 0}]}\n\nnot json at all\n{\"no\": \"error here\"}\n";

        StreamHarness.Result quota = StreamHarness.whole(translator(PLAIN), wrapped.getBytes(StandardCharsets.UTF_8));
        StreamHarness.Result fine = StreamHarness.whole(translator(PLAIN), stray.getBytes(StandardCharsets.UTF_8));

        assertThat(quota.error().error().status()).isEqualTo(429);
        assertThat(quota.error().error().message()).isEqualTo("Quota {per minute} exceeded");
        assertThat(fine.error()).isNull();
        assertThat(fine.complete()).isTrue();
    }

    @Test
    void usesTheFallbackKeyWhenGeminiSendsNoResponseId() {
        String stream = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"functionCall\": {\"name\": \"f\",\"args\": {}}}],"
                + "\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}]}\r\n\r\n";

        StreamHarness.Result result = StreamHarness.whole(translator(PLAIN), stream.getBytes(StandardCharsets.UTF_8));

        assertThat(result.chunks()).hasSize(3);
        assertThat(result.chunks().get(1)).startsWith("{\"id\":\"chatcmpl-fallback\"")
                .contains("\"id\":\"call_fallback_0_0\"");
        assertThat(result.usage()).isNull();
    }

    @Test
    void includeUsageGetsAUsageChunkEvenWhenGeminiReportsNone() {
        String stream = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hi\"}],\"role\": \"model\"},"
                + "\"finishReason\": \"STOP\",\"index\": 0}],\"responseId\": \"r1\"}\r\n\r\n";

        StreamHarness.Result result = StreamHarness.whole(translator(WITH_USAGE), stream.getBytes(StandardCharsets.UTF_8));

        assertThat(result.chunks()).hasSize(4);
        assertThat(result.chunks().get(3)).isEqualTo("{\"id\":\"chatcmpl-r1\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1767225600,\"model\":\"gemini-2.5-flash\",\"choices\":[],\"usage\":{\"prompt_tokens\":0,"
                + "\"completion_tokens\":0,\"total_tokens\":0,\"prompt_tokens_details\":{\"cached_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}");
        assertThat(result.usage()).as("the gateway's own accounting: unknown, not zero").isNull();
    }

    @Test
    void everyChunkNamesTheModelOfTheFirstEvent() {
        String stream = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"A\"}]},\"index\": 0}],"
                + "\"modelVersion\": \"gemini-2.5-flash-001\",\"responseId\": \"r2\"}\n\n"
                + "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"B\"}]},\"finishReason\": \"STOP\",\"index\": 0}],"
                + "\"modelVersion\": \"gemini-2.5-flash-002\",\"responseId\": \"r2\"}\n\n";

        StreamHarness.Result result = StreamHarness.whole(translator(PLAIN), stream.getBytes(StandardCharsets.UTF_8));

        assertThat(result.chunks()).hasSize(4).allSatisfy(chunk -> assertThat(chunk).contains("\"model\":\"gemini-2.5-flash-001\""));
    }

    @Test
    void readsSnakeCaseFieldsToo() {
        String stream = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"function_call\": {\"name\": \"f\",\"args\": {\"a\": 1}},"
                + "\"thought_signature\": \"c2ln\"}]},\"finish_reason\": \"STOP\"}],\"usage_metadata\": {\"prompt_token_count\": 3,"
                + "\"candidates_token_count\": 2},\"response_id\": \"r9\"}\n\n";

        StreamHarness.Result result = StreamHarness.whole(translator(PLAIN), stream.getBytes(StandardCharsets.UTF_8));

        assertThat(result.complete()).isTrue();
        assertThat(result.chunks().get(1)).contains("\"id\":\"call_r9_0_0__thought__c2ln\"")
                .contains("\"arguments\":\"{\\\"a\\\":1}\"");
        assertThat(result.chunks().get(2)).contains("\"finish_reason\":\"tool_calls\"");
        assertThat(result.usage()).isEqualTo(new Usage(3, 2, 0, 0));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
