package dev.switchboard.provider.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.RecordingSink;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EchoConnectorTest {
    private static final ModelConfig MODEL = new ModelConfig("echo", "builtin", "echo-upstream", null);
    private static final ProviderConfig PROVIDER = new ProviderConfig("builtin", ProviderType.ECHO, null, null, Map.of(), Timeouts.DEFAULTS);

    /** Ten words (twelve echo tokens): with three words a chunk, four content chunks. */
    private static final String TEXT = "The quick brown fox jumps over the lazy dog, twice!";

    private final EchoConnector connector = new EchoConnector();

    private static ChatRequest request(String body) {
        byte[] bytes = body.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(bytes, bytes.length);
    }

    private static ChatRequest userSays(String text, String extra) {
        String messages = "[{'role':'user','content':" + new String(dev.switchboard.json.RawJson.quote(text), StandardCharsets.UTF_8)
                .replace('"', '\'') + "}]";
        return request("{'model':'echo','messages':" + messages + extra + "}");
    }

    private static ChatRequest streaming(String text, boolean includeUsage) {
        return userSays(text, ",'stream':true" + (includeUsage ? ",'stream_options':{'include_usage':true}" : ""));
    }

    private static JsonObject parse(byte[] json) {
        return Json.parseObject(json);
    }

    /** A chunk without what differs between runs (id, created), for comparing two streams. */
    private static String normalized(byte[] chunk) {
        JsonObject json = parse(chunk);
        return jakarta.json.Json.createObjectBuilder(json).remove("id").remove("created").build().toString();
    }

    private static List<String> normalized(List<byte[]> chunks) {
        return chunks.stream().map(EchoConnectorTest::normalized).collect(Collectors.toList());
    }

    /** The content delta of a chunk, or null for chunks without one (finish, usage-only). */
    private static String contentOf(byte[] chunk) {
        jakarta.json.JsonArray choices = parse(chunk).getJsonArray("choices");
        if (choices.isEmpty()) {
            return null;
        }
        JsonObject delta = choices.getJsonObject(0).getJsonObject("delta");
        return delta.containsKey("content") ? delta.getString("content") : null;
    }

    // ---- non-streaming -------------------------------------------------------------------------

    @Test
    void completionEchoesTheLastUserMessage() {
        ChatRequest request = request("{'model':'fast','messages':["
                + "{'role':'system','content':'You are terse.'},"
                + "{'role':'user','content':'Hello, world!'},"
                + "{'role':'assistant','content':'Hi'},"
                + "{'role':'user','content':'Say: it is 42 \u20ac'}]}");
        RecordingSink sink = new RecordingSink();
        long before = System.currentTimeMillis() / 1000;

        Attempt attempt = connector.start(new ProviderCall(request, MODEL, PROVIDER, "req_test"), sink);

        assertThat(attempt).isSameAs(Attempt.NONE);
        assertThat(sink.terminalCalls()).isEqualTo(1);
        assertThat(sink.chunks()).isEmpty();
        JsonObject json = parse(sink.completionJson());
        assertThat(json.getString("id")).startsWith("chatcmpl-echo");
        assertThat(json.getString("object")).isEqualTo("chat.completion");
        assertThat(json.getJsonNumber("created").longValue()).isBetween(before, System.currentTimeMillis() / 1000);
        assertThat(json.getString("model")).isEqualTo("echo");
        assertThat(json.getJsonArray("choices")).hasSize(1);
        JsonObject choice = json.getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getInt("index")).isZero();
        assertThat(choice.getJsonObject("message").getString("role")).isEqualTo("assistant");
        assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("Say: it is 42 \u20ac");
        assertThat(choice.getJsonObject("message").get("refusal")).isEqualTo(JsonValue.NULL);
        assertThat(choice.getString("finish_reason")).isEqualTo("stop");
        // Prompt: You are terse . (4) + Hello , world ! (4) + Hi (1) + Say : it is 42 € (6) = 15.
        JsonObject usage = json.getJsonObject("usage");
        assertThat(usage.getInt("prompt_tokens")).isEqualTo(15);
        assertThat(usage.getInt("completion_tokens")).isEqualTo(6);
        assertThat(usage.getInt("total_tokens")).isEqualTo(21);
        assertThat(sink.usage()).isEqualTo(new Usage(15, 6));
    }

    @Test
    void completionEchoesTextPartsJoinedByNewlines() {
        ChatRequest request = request("{'model':'echo','messages':[{'role':'user','content':["
                + "{'type':'text','text':'first'},{'type':'image_url','image_url':{'url':'https://x/y.png'}},"
                + "{'type':'text','text':'second part'}]}]}");
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(request, MODEL, PROVIDER, "req_test"), sink);

        JsonObject message = parse(sink.completionJson()).getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        assertThat(message.getString("content")).isEqualTo("first\nsecond part");
        assertThat(sink.usage()).isEqualTo(new Usage(3, 3));
    }

    @Test
    void lastUserMessageWinsEvenWithOthersAfterIt() {
        ChatRequest request = request("{'model':'echo','messages':[{'role':'user','content':'one'},"
                + "{'role':'user','content':'two'},{'role':'assistant','content':'reply'},"
                + "{'role':'tool','tool_call_id':'c','content':'tool output'}]}");
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(request, MODEL, PROVIDER, "req_test"), sink);

        assertThat(parse(sink.completionJson()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getString("content")).isEqualTo("two");
    }

    @Test
    void noUserMessageEchoesEmptyText() {
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(request("{'model':'echo','messages':[{'role':'system','content':'be nice'}]}"), MODEL, PROVIDER, "req_test"), sink);

        assertThat(parse(sink.completionJson()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getString("content")).isEmpty();
        assertThat(sink.usage()).isEqualTo(new Usage(2, 0));
    }

    @Test
    void completionHasOneChoicePerN() {
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(userSays("a b", ",'n':3"), MODEL, PROVIDER, "req_test"), sink);

        JsonObject json = parse(sink.completionJson());
        assertThat(json.getJsonArray("choices")).extracting(choice -> choice.asJsonObject().getInt("index")).containsExactly(0, 1, 2);
        assertThat(json.getJsonArray("choices")).allSatisfy(choice ->
                assertThat(choice.asJsonObject().getJsonObject("message").getString("content")).isEqualTo("a b"));
        assertThat(sink.usage()).isEqualTo(new Usage(2, 6));
        assertThat(json.getJsonObject("usage").getInt("completion_tokens")).isEqualTo(6);
    }

    @Test
    void largestAllowedNIsServed() {
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(userSays("hi", ",'n':" + ChatRequestParser.MAX_N), MODEL, PROVIDER, "req_test"), sink);

        assertThat(parse(sink.completionJson()).getJsonArray("choices")).hasSize(ChatRequestParser.MAX_N);
    }

    // ---- streaming -----------------------------------------------------------------------------

    @ParameterizedTest(name = "include_usage={0}")
    @ValueSource(booleans = {false, true})
    void streamIsRoleThenContentThenFinishThenOptionalUsageThenEnd(boolean includeUsage) {
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(streaming(TEXT, includeUsage), MODEL, PROVIDER, "req_test"), sink);

        assertThat(sink.violations()).isEmpty();
        assertThat(sink.streamEnded()).isTrue();
        assertThat(sink.terminalCalls()).isEqualTo(1);
        List<JsonObject> chunks = sink.chunks().stream().map(EchoConnectorTest::parse).toList();
        int contentChunks = 4;
        assertThat(chunks).hasSize(1 + contentChunks + 1 + (includeUsage ? 1 : 0));

        String id = chunks.get(0).getString("id");
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
            assertThat(chunk.getString("id")).isEqualTo(id);
            assertThat(chunk.getString("model")).isEqualTo("echo");
            assertThat(chunk.containsKey("usage")).isEqualTo(includeUsage);
        });

        JsonObject role = chunks.get(0).getJsonArray("choices").getJsonObject(0);
        assertThat(role.getJsonObject("delta").getString("role")).isEqualTo("assistant");
        assertThat(role.getJsonObject("delta").getString("content")).isEmpty();
        assertThat(role.get("finish_reason")).isEqualTo(JsonValue.NULL);

        StringBuilder text = new StringBuilder();
        for (byte[] chunk : sink.chunks().subList(1, 1 + contentChunks)) {
            JsonObject choice = parse(chunk).getJsonArray("choices").getJsonObject(0);
            assertThat(choice.getJsonObject("delta").keySet()).containsExactly("content");
            assertThat(choice.get("finish_reason")).isEqualTo(JsonValue.NULL);
            text.append(choice.getJsonObject("delta").getString("content"));
        }
        assertThat(text.toString()).isEqualTo(TEXT);

        JsonObject finish = chunks.get(1 + contentChunks).getJsonArray("choices").getJsonObject(0);
        assertThat(finish.getJsonObject("delta")).isEmpty();
        assertThat(finish.getString("finish_reason")).isEqualTo("stop");

        Usage expected = new Usage(12, 12);
        assertThat(sink.usage()).isEqualTo(expected);
        if (includeUsage) {
            JsonObject usageChunk = chunks.get(chunks.size() - 1);
            assertThat(usageChunk.getJsonArray("choices")).isEmpty();
            assertThat(usageChunk.getJsonObject("usage").getInt("prompt_tokens")).isEqualTo(12);
            assertThat(usageChunk.getJsonObject("usage").getInt("completion_tokens")).isEqualTo(12);
            assertThat(usageChunk.getJsonObject("usage").getInt("total_tokens")).isEqualTo(24);
            assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk ->
                    assertThat(chunk.get("usage")).isEqualTo(JsonValue.NULL));
        }
    }

    @Test
    void streamWithSeveralChoicesFinishesEachInTurn() {
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(userSays("a b c d", ",'n':2,'stream':true"), MODEL, PROVIDER, "req_test"), sink);

        List<String> shape = new ArrayList<>();
        for (byte[] chunk : sink.chunks()) {
            JsonObject choice = parse(chunk).getJsonArray("choices").getJsonObject(0);
            String finish = choice.get("finish_reason") instanceof jakarta.json.JsonString s ? s.getString() : "-";
            shape.add(choice.getInt("index") + ":" + choice.getJsonObject("delta").getString("content", "") + ":" + finish);
        }
        assertThat(shape).containsExactly("0::-", "0:a b c :-", "0:d:-", "0::stop", "1::-", "1:a b c :-", "1:d:-", "1::stop");
        assertThat(sink.usage()).isEqualTo(new Usage(4, 8));
    }

    @Test
    void emptyTextStreamsRoleAndFinishOnly() {
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(streaming("", false), MODEL, PROVIDER, "req_test"), sink);

        assertThat(sink.chunks()).hasSize(2);
        assertThat(sink.streamEnded()).isTrue();
        assertThat(sink.usage()).isEqualTo(new Usage(0, 0));
    }

    // ---- back-pressure -------------------------------------------------------------------------

    private List<String> unthrottled(ChatRequest request) {
        RecordingSink sink = new RecordingSink();
        connector.start(new ProviderCall(request, MODEL, PROVIDER, "req_test"), sink);
        assertThat(sink.streamEnded()).isTrue();
        return normalized(sink.chunks());
    }

    static Stream<Arguments> rooms() {
        return Stream.of(1, 2, 3, 5, 6, 7, 8, 50).flatMap(room ->
                Stream.of(Arguments.of(room, false), Arguments.of(room, true)));
    }

    /**
     * Grants {@code room} chunks at a time. Emission stops while the sink is full and picks up
     * where it left off when the recorded callback runs. The usage-only chunk follows the last
     * finish chunk without another room check (HttpAttempt, too, checks room per read and not per
     * chunk), so a segment that ends the stream may carry that one chunk beyond its room.
     */
    @ParameterizedTest(name = "room {0}, include_usage {1}")
    @MethodSource("rooms")
    void fullSinkPausesTheStreamUntilItsCallbackRuns(int room, boolean includeUsage) {
        ChatRequest request = streaming(TEXT, includeUsage);
        List<String> expected = unthrottled(request);
        RecordingSink sink = RecordingSink.withRoom(room);

        Attempt attempt = connector.start(new ProviderCall(request, MODEL, PROVIDER, "req_test"), sink);

        int segments = 0;
        int before = 0;
        while (true) {
            int emitted = sink.chunks().size() - before;
            if (sink.ended()) {
                assertThat(emitted).isLessThanOrEqualTo(room + (includeUsage ? 1 : 0));
                assertThat(sink.hasPendingResume()).isFalse();
                break;
            }
            assertThat(emitted).as("segment %d", segments).isEqualTo(room);
            assertThat(sink.hasPendingResume()).as("waiting for room").isTrue();
            segments++;
            assertThat(segments).as("progress").isLessThan(100);
            before = sink.chunks().size();
            sink.resume(room);
        }
        assertThat(sink.violations()).isEmpty();
        assertThat(sink.terminalCalls()).isEqualTo(1);
        assertThat(normalized(sink.chunks())).isEqualTo(expected);
        assertThat(sink.whenRoomCalls()).isEqualTo(segments);
        assertThat(attempt).isNotSameAs(Attempt.NONE);
    }

    @Test
    void sinkFullFromTheStartEmitsNothingUntilResumed() {
        RecordingSink sink = RecordingSink.withRoom(0);

        connector.start(new ProviderCall(streaming(TEXT, true), MODEL, PROVIDER, "req_test"), sink);

        assertThat(sink.chunks()).isEmpty();
        assertThat(sink.ended()).isFalse();
        assertThat(sink.hasPendingResume()).isTrue();

        sink.resume(Integer.MAX_VALUE);

        assertThat(sink.streamEnded()).isTrue();
        assertThat(sink.chunks().stream().map(EchoConnectorTest::contentOf).filter(c -> c != null).collect(Collectors.joining()))
                .isEqualTo(TEXT);
    }

    @ParameterizedTest(name = "room {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void resumeRunOnTheSameThreadFromInsideWhenRoomLosesAndRepeatsNothing(int room) {
        ChatRequest request = streaming(TEXT, true);
        List<String> expected = unthrottled(request);
        RecordingSink sink = RecordingSink.drainingSynchronously(room);

        connector.start(new ProviderCall(request, MODEL, PROVIDER, "req_test"), sink);

        assertThat(sink.streamEnded()).isTrue();
        assertThat(sink.violations()).isEmpty();
        assertThat(normalized(sink.chunks())).isEqualTo(expected);
        assertThat(sink.whenRoomCalls()).isPositive();
    }

    @Test
    void longEchoWithSynchronousResumesDoesNotRecurse() {
        String text = "word ".repeat(60_000);
        RecordingSink sink = RecordingSink.drainingSynchronously(1);

        connector.start(new ProviderCall(streaming(text, false), MODEL, PROVIDER, "req_test"), sink);

        assertThat(sink.streamEnded()).isTrue();
        assertThat(sink.chunks()).hasSize(1 + 20_000 + 1);
        assertThat(sink.whenRoomCalls()).isEqualTo(sink.chunks().size() - 1);
    }

    @Test
    void cancelStopsAPausedStreamForGood() {
        RecordingSink sink = RecordingSink.withRoom(2);
        Attempt attempt = connector.start(new ProviderCall(streaming(TEXT, true), MODEL, PROVIDER, "req_test"), sink);
        assertThat(sink.chunks()).hasSize(2);

        attempt.cancel();
        sink.resume(100);

        assertThat(sink.chunks()).hasSize(2);
        assertThat(sink.ended()).isFalse();
        assertThat(sink.hasPendingResume()).isFalse();
    }

    // ---- split ---------------------------------------------------------------------------------

    static Stream<Arguments> splits() {
        return Stream.of(
                Arguments.of("", List.of()),
                Arguments.of("one", List.of("one")),
                Arguments.of("one two three", List.of("one two three")),
                Arguments.of("one two three four", List.of("one two three ", "four")),
                Arguments.of("a b c d e f g", List.of("a b c ", "d e f ", "g")),
                Arguments.of("  lead and trail  ", List.of("  lead and trail  ")),
                Arguments.of("  a b c d  ", List.of("  a b c ", "d  ")),
                Arguments.of("a\nb\tc\n\nd e", List.of("a\nb\tc\n\n", "d e")),
                Arguments.of("   ", List.of("   ")),
                Arguments.of("caf\u00e9 \u20ac \uD83D\uDE00 x", List.of("caf\u00e9 \u20ac \uD83D\uDE00 ", "x")));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @MethodSource("splits")
    void splitMakesPiecesOfThreeWordsKeepingWhitespace(String text, List<String> pieces) {
        assertThat(split(text)).isEqualTo(pieces);
    }

    @Test
    void splitPiecesAlwaysConcatenateToTheText() {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "ab \n\t\u00e9\u20ac.";
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            List<String> pieces = split(text.toString());
            assertThat(String.join("", pieces)).isEqualTo(text.toString());
            assertThat(pieces).noneMatch(String::isEmpty);
        }
    }

    /** The pieces a stream sends, one {@link EchoConnector#pieceEnd} after another. */
    private static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        for (int start = 0; start < text.length(); ) {
            int end = EchoConnector.pieceEnd(text, start);
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }

    // ---- bounded output ------------------------------------------------------------------------

    /** Per choice, what a stream sends beyond its share: the finish chunk; and the usage chunk once. */
    private static final int FINISH_AND_USAGE_BYTES = 1024;

    private static long budget(ChatRequest request, ProviderConfig provider) {
        return TranslationBudget.of(request, provider).limit();
    }

    @Test
    void aWholeReplyOfManyChoicesIsCutToTheBudgetAndFinishesWithLength() {
        String text = "word ".repeat(64 * 1024);
        ChatRequest request = userSays(text, ",'n':" + ChatRequestParser.MAX_N);
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(request, MODEL, PROVIDER, "req_test"), sink);

        assertThat((long) sink.completionJson().length)
                .isLessThanOrEqualTo(budget(request, PROVIDER) + ChatRequestParser.MAX_N * 256L + 1024);
        jakarta.json.JsonArray choices = parse(sink.completionJson()).getJsonArray("choices");
        assertThat(choices).hasSize(ChatRequestParser.MAX_N);
        String content = choices.getJsonObject(0).getJsonObject("message").getString("content");
        assertThat(text).startsWith(content);
        assertThat(content.length()).isLessThan(text.length()).isGreaterThan(0);
        assertThat(choices).allSatisfy(choice -> {
            assertThat(choice.asJsonObject().getString("finish_reason")).isEqualTo("length");
            assertThat(choice.asJsonObject().getJsonObject("message").getString("content")).isEqualTo(content);
        });
        assertThat(sink.usage().completionTokens()).isEqualTo(EchoTokens.count(content) * ChatRequestParser.MAX_N);
    }

    @Test
    void aStreamOfManyChoicesSendsNoMoreThanTheBudgetAndFinishesEachWithLength() {
        String text = "w ".repeat(8 * 1024);
        ChatRequest request = userSays(text, ",'n':" + ChatRequestParser.MAX_N + ",'stream':true,"
                + "'stream_options':{'include_usage':true}");
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(request, MODEL, PROVIDER, "req_test"), sink);

        long sent = sink.chunks().stream().mapToLong(chunk -> chunk.length).sum();
        assertThat(sent).isLessThanOrEqualTo(budget(request, PROVIDER) + ChatRequestParser.MAX_N * (long) FINISH_AND_USAGE_BYTES);
        assertThat(sink.streamEnded()).isTrue();
        assertThat(sink.violations()).isEmpty();
        java.util.Map<Integer, StringBuilder> texts = new java.util.TreeMap<>();
        java.util.Map<Integer, String> finishes = new java.util.TreeMap<>();
        for (byte[] chunk : sink.chunks()) {
            jakarta.json.JsonArray choices = parse(chunk).getJsonArray("choices");
            if (choices.isEmpty()) {
                continue;
            }
            JsonObject choice = choices.getJsonObject(0);
            texts.computeIfAbsent(choice.getInt("index"), i -> new StringBuilder())
                    .append(choice.getJsonObject("delta").getString("content", ""));
            if (choice.get("finish_reason") instanceof jakarta.json.JsonString reason) {
                finishes.put(choice.getInt("index"), reason.getString());
            }
        }
        assertThat(finishes).hasSize(ChatRequestParser.MAX_N).containsValue("length").doesNotContainValue("stop");
        assertThat(texts.values()).allSatisfy(each -> {
            assertThat(text).startsWith(each.toString());
            assertThat(each.length()).isGreaterThan(0).isLessThan(text.length());
        });
        long tokens = texts.values().stream().mapToLong(each -> EchoTokens.count(each)).sum();
        assertThat(sink.usage().completionTokens()).isEqualTo(tokens);
    }

    @Test
    void aSmallerFactorCutsEvenOneChoiceCountingEachChunkWhole() {
        ProviderConfig strict = new ProviderConfig("builtin", ProviderType.ECHO, null, null, Map.of(), Timeouts.DEFAULTS,
                dev.switchboard.config.RetryPolicy.DEFAULTS, dev.switchboard.config.CooldownPolicy.DEFAULTS, 1);
        // Two-character words: three to a chunk of some 150 bytes, far more than the text they carry.
        String text = "w ".repeat(600 * 1024);
        ChatRequest request = userSays(text, ",'stream':true");
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(request, MODEL, strict, "req_test"), sink);

        long sent = sink.chunks().stream().mapToLong(chunk -> chunk.length).sum();
        assertThat(sent).isLessThanOrEqualTo(budget(request, strict) + FINISH_AND_USAGE_BYTES);
        assertThat(contentOf(sink.chunks().get(sink.chunks().size() - 1))).isNull();
        assertThat(parse(sink.chunks().get(sink.chunks().size() - 1)).getJsonArray("choices").getJsonObject(0)
                .getString("finish_reason")).isEqualTo("length");
    }

    @Test
    void aReplyWithinTheBudgetIsWholeAndStops() {
        String text = "word ".repeat(64 * 1024);
        RecordingSink sink = new RecordingSink();

        connector.start(new ProviderCall(userSays(text, ",'n':4"), MODEL, PROVIDER, "req_test"), sink);

        assertThat(parse(sink.completionJson()).getJsonArray("choices")).allSatisfy(choice -> {
            assertThat(choice.asJsonObject().getString("finish_reason")).isEqualTo("stop");
            assertThat(choice.asJsonObject().getJsonObject("message").getString("content")).isEqualTo(text);
        });
    }

    @ParameterizedTest(name = "[{index}] {1} bytes")
    @MethodSource("prefixes")
    void fittingPrefixCountsJsonBytesAndKeepsSurrogatePairsWhole(String text, long maxBytes, int expected) {
        assertThat(EchoConnector.fittingPrefix(text, maxBytes)).isEqualTo(expected);
    }

    static Stream<Arguments> prefixes() {
        return Stream.of(
                Arguments.of("abc", 5, 3),
                Arguments.of("abc", 4, 2),
                Arguments.of("abc", 2, 0),
                Arguments.of("a\"b", 5, 2),
                Arguments.of("a\u0001b", 9, 2),
                Arguments.of("\u20ac\u20ac", 7, 1),
                Arguments.of("a\uD83D\uDE00b", 6, 1),
                Arguments.of("a\uD83D\uDE00b", 7, 3));
    }
}
