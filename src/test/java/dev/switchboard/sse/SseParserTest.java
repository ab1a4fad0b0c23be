package dev.switchboard.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SseParserTest {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    // ---- helpers -------------------------------------------------------------------------------

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static SseEvent event(String type, String data) {
        return new SseEvent(type, utf8(data));
    }

    /** Feeds each piece as its own read and returns what was dispatched. */
    private static List<SseEvent> parse(byte[]... pieces) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        for (byte[] piece : pieces) {
            parser.feed(piece, 0, piece.length);
        }
        return events;
    }

    private static List<SseEvent> parse(String stream) {
        return parse(utf8(stream));
    }

    private static List<SseEvent> parseSplitAt(byte[] stream, int... cuts) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        int from = 0;
        for (int cut : cuts) {
            parser.feed(stream, from, cut - from);
            from = cut;
        }
        parser.feed(stream, from, stream.length - from);
        return events;
    }

    // ---- line ends -----------------------------------------------------------------------------

    static Stream<Arguments> lineEnds() {
        return Stream.of(
                Arguments.of("LF", "\n"),
                Arguments.of("CR", "\r"),
                Arguments.of("CRLF", "\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lineEnds")
    void eachLineEndTerminatesLinesAndEvents(String name, String eol) {
        String stream = "event: a" + eol + "data: one" + eol + "data: two" + eol + eol
                + "data: three" + eol + eol;

        assertThat(parse(stream)).containsExactly(event("a", "one\ntwo"), event(null, "three"));
    }

    @Test
    void mixedLineEndsInOneStreamEachCountOnce() {
        assertThat(parse("data: a\rdata: b\ndata: c\r\n\r\ndata: d\n\r"))
                .containsExactly(event(null, "a\nb\nc"), event(null, "d"));
    }

    @Test
    void crAtEndOfOneReadAndLfAtStartOfNextAreOneLineEnd() {
        // Were they two line ends, the blank line would dispatch "a" alone and "b" separately.
        List<SseEvent> events = parse(utf8("data: a\r"), utf8("\ndata: b\r"), utf8("\n\r"), utf8("\n"));

        assertThat(events).containsExactly(event(null, "a\nb"));
    }

    @Test
    void crAtEndOfReadThenEmptyReadThenLfIsStillOneLineEnd() {
        assertThat(parse(utf8("data: a\r"), new byte[0], utf8("\ndata: b\r\n\r\n")))
                .containsExactly(event(null, "a\nb"));
    }

    @Test
    void crAtEndOfReadFollowedByAnotherCrIsTwoLineEnds() {
        assertThat(parse(utf8("data: a\r"), utf8("\rdata: b\n\n")))
                .containsExactly(event(null, "a"), event(null, "b"));
    }

    @Test
    void twoCrsInARowAreABlankLine() {
        assertThat(parse("data: a\r\rdata: b\r\r")).containsExactly(event(null, "a"), event(null, "b"));
    }

    @Test
    void lfCrIsTwoLineEndsNotOne() {
        // LF then CR: the CR starts a second (blank) line, which dispatches.
        assertThat(parse("data: a\n\rdata: b\n\n")).containsExactly(event(null, "a"), event(null, "b"));
    }

    // ---- fields --------------------------------------------------------------------------------

    static Stream<Arguments> dataLines() {
        return Stream.of(
                Arguments.of("data: hello\n\n", "hello"),
                Arguments.of("data:hello\n\n", "hello"),
                Arguments.of("data:  two spaces\n\n", " two spaces"),
                Arguments.of("data:\ttab\n\n", "\ttab"),
                Arguments.of("data: a: b: c\n\n", "a: b: c"),
                Arguments.of("data: trailing \n\n", "trailing "),
                Arguments.of("data\n\n", ""),
                Arguments.of("data:\n\n", ""),
                Arguments.of("data: \n\n", ""),
                Arguments.of("data\ndata\n\n", "\n"),
                Arguments.of("data: a\ndata\ndata: b\n\n", "a\n\nb"),
                Arguments.of("data: {\"x\":[1,2]}\n\n", "{\"x\":[1,2]}"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("dataLines")
    void dataValueFollowsTheSpecRules(String stream, String expectedData) {
        assertThat(parse(stream)).containsExactly(event(null, expectedData));
    }

    @Test
    void dataLineWithEmptyValueDispatchesAnEventWithEmptyData() {
        List<SseEvent> events = parse("data\n\n");

        assertThat(events).hasSize(1);
        assertThat(events.get(0).data()).isEmpty();
        assertThat(events.get(0).type()).isNull();
    }

    @Test
    void commentLinesAreIgnored() {
        assertThat(parse(": keep-alive\n\n:\ndata: a\n: in the middle\ndata: b\n\n: trailing\n\n"))
                .containsExactly(event(null, "a\nb"));
    }

    @Test
    void eventNameIsCarriedAndResetAfterDispatch() {
        assertThat(parse("event: message_start\ndata: 1\n\ndata: 2\n\nevent:ping\ndata: 3\n\n"))
                .containsExactly(event("message_start", "1"), event(null, "2"), event("ping", "3"));
    }

    @Test
    void lastEventFieldBeforeDispatchWins() {
        assertThat(parse("event: a\nevent: b\ndata: x\n\n")).containsExactly(event("b", "x"));
    }

    @Test
    void eventNameWithoutDataDoesNotLeakIntoTheNextEvent() {
        assertThat(parse("event: lonely\n\ndata: x\n\n")).containsExactly(event(null, "x"));
    }

    @Test
    void eventsWithoutADataLineAreNotDispatched() {
        assertThat(parse("event: a\n\nid: 7\n\nretry: 1000\n\n: comment\n\n\n\n")).isEmpty();
    }

    @Test
    void idRetryAndUnknownFieldsAreIgnored() {
        assertThat(parse("id: 1\nretry: 10\nfoo: bar\nDATA: upper\ndata : spaced\ndata: x\n\n"))
                .containsExactly(event(null, "x"));
    }

    @Test
    void unterminatedEventAtEndOfInputIsNotDispatched() {
        assertThat(parse("data: complete\n\ndata: no blank line after\n")).containsExactly(event(null, "complete"));
        assertThat(parse("data: no line end at all")).isEmpty();
    }

    @Test
    void doneSentinelIsDispatchedLikeAnyOtherEvent() {
        List<SseEvent> events = parse("data: {\"a\":1}\n\ndata: [DONE]\n\n");

        assertThat(events).extracting(SseEvent::isDone).containsExactly(false, true);
    }

    @Test
    void dataIsTheRawUtf8Bytes() {
        List<SseEvent> events = parse("data: h\u00e9 \u20ac \uD83D\uDE00\n\n");

        assertThat(events.get(0).data()).isEqualTo(utf8("h\u00e9 \u20ac \uD83D\uDE00"));
        assertThat(events.get(0).dataAsString()).isEqualTo("h\u00e9 \u20ac \uD83D\uDE00");
    }

    // ---- reads split anywhere ------------------------------------------------------------------

    /** Exercises every rule at once; every split of it must parse like the whole. */
    private static final byte[] RICH_STREAM = concat(BOM, utf8(
            ": comment\r\n"
                    + "event: first\r\n"
                    + "data: caf\u00e9 \u20ac5\r\n"
                    + "data:\uD83D\uDE00\r\n"
                    + "\r\n"
                    + "data\n"
                    + "\n"
                    + "id: 3\r"
                    + "data: cr only\r"
                    + "\r"
                    + "event: no data\n"
                    + "\n"
                    + "data: {\"choices\":[{\"delta\":{\"content\":\"\u00fc\"}}]}\r\n"
                    + "\r\n"
                    + "data: [DONE]\n"
                    + "\n"
                    + "data: unterminated"));

    private static final List<SseEvent> RICH_EVENTS = List.of(
            event("first", "caf\u00e9 \u20ac5\n\uD83D\uDE00"),
            event(null, ""),
            event(null, "cr only"),
            event(null, "{\"choices\":[{\"delta\":{\"content\":\"\u00fc\"}}]}"),
            event(null, "[DONE]"));

    @Test
    void richStreamInOneReadGivesTheExpectedEvents() {
        assertThat(parse(RICH_STREAM)).containsExactlyElementsOf(RICH_EVENTS);
    }

    @Test
    void everyTwoWaySplitGivesTheSameEventsAsOneRead() {
        for (int cut = 0; cut <= RICH_STREAM.length; cut++) {
            assertThat(parseSplitAt(RICH_STREAM, cut)).as("split at byte %d", cut).containsExactlyElementsOf(RICH_EVENTS);
        }
    }

    @Test
    void everyThreeWaySplitOfTheStartGivesTheSameEvents() {
        // The BOM and the first CRLF live in the first 15 bytes: cut them in every way twice.
        for (int first = 0; first <= 15; first++) {
            for (int second = first; second <= 15; second++) {
                assertThat(parseSplitAt(RICH_STREAM, first, second))
                        .as("splits at %d and %d", first, second).containsExactlyElementsOf(RICH_EVENTS);
            }
        }
    }

    @Test
    void oneByteReadsGiveTheSameEventsAsOneRead() {
        byte[][] pieces = new byte[RICH_STREAM.length][];
        for (int i = 0; i < RICH_STREAM.length; i++) {
            pieces[i] = new byte[] {RICH_STREAM[i]};
        }
        assertThat(parse(pieces)).containsExactlyElementsOf(RICH_EVENTS);
    }

    @Test
    void randomOneToSevenByteReadsGiveTheSameEventsAsOneRead() {
        Random random = new Random(20240611L);
        for (int round = 0; round < 200; round++) {
            List<byte[]> pieces = new ArrayList<>();
            int at = 0;
            while (at < RICH_STREAM.length) {
                int size = Math.min(1 + random.nextInt(7), RICH_STREAM.length - at);
                pieces.add(Arrays.copyOfRange(RICH_STREAM, at, at + size));
                at += size;
            }
            assertThat(parse(pieces.toArray(byte[][]::new))).as("round %d", round).containsExactlyElementsOf(RICH_EVENTS);
        }
    }

    static Stream<Arguments> multiByteCharacters() {
        return Stream.of(
                Arguments.of("e acute (2 bytes)", "\u00e9"),
                Arguments.of("euro sign (3 bytes)", "\u20ac"),
                Arguments.of("emoji (4 bytes)", "\uD83D\uDE00"),
                Arguments.of("mixed", "a\u00e9\u20ac\uD83D\uDE00z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multiByteCharacters")
    void multiByteCharacterSplitAcrossReadsIsReassembled(String name, String text) {
        byte[] stream = utf8("data: " + text + "\n\n");
        for (int cut = 0; cut <= stream.length; cut++) {
            List<SseEvent> events = parseSplitAt(stream, cut);
            assertThat(events).as("split at %d", cut).containsExactly(event(null, text));
            assertThat(events.get(0).dataAsString()).isEqualTo(text);
        }
    }

    // ---- byte order mark -----------------------------------------------------------------------

    @Test
    void leadingBomIsSkipped() {
        assertThat(parse(concat(BOM, utf8("data: x\n\n")))).containsExactly(event(null, "x"));
    }

    @Test
    void leadingBomSplitAcrossReadsIsSkipped() {
        byte[] stream = concat(BOM, utf8("data: x\n\n"));
        for (int first = 0; first <= 4; first++) {
            for (int second = first; second <= 4; second++) {
                assertThat(parseSplitAt(stream, first, second))
                        .as("splits at %d and %d", first, second).containsExactly(event(null, "x"));
            }
        }
    }

    @Test
    void bomArrivingOneByteAtATimeIsSkipped() {
        assertThat(parse(new byte[] {BOM[0]}, new byte[] {BOM[1]}, new byte[] {BOM[2]}, utf8("data: x\n\n")))
                .containsExactly(event(null, "x"));
    }

    @Test
    void onlyTheFirstBomIsSkipped() {
        // The second BOM belongs to the first line's field name, which is then unknown.
        assertThat(parse(concat(BOM, BOM, utf8("data: x\n\ndata: y\n\n")))).containsExactly(event(null, "y"));
    }

    @Test
    void bomLaterInTheStreamIsData() {
        byte[] stream = concat(utf8("data: "), BOM, utf8("\n\n"));

        assertThat(parse(stream)).containsExactly(new SseEvent(null, BOM));
    }

    static Stream<Arguments> notQuiteBoms() {
        return Stream.of(
                Arguments.of("EF", new byte[] {(byte) 0xEF}),
                Arguments.of("EF BB", new byte[] {(byte) 0xEF, (byte) 0xBB}),
                Arguments.of("EF BB EF", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xEF}),
                Arguments.of("U+F000 (EF 80 80)", utf8("\uF000")),
                Arguments.of("U+FF44 (EF BD 84)", utf8("\uFF44")));
    }

    /**
     * A stream that starts with 0xEF but no BOM keeps those bytes: they are the start of the first
     * line's field name, so {@code data: x} there is an unknown field, and the next event is whole.
     * Were the bytes dropped as a would-be BOM, "x" would be dispatched.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("notQuiteBoms")
    void leadingBytesThatAreNotABomAreKept(String name, byte[] prefix) {
        byte[] stream = concat(prefix, utf8("data: x\n\ndata: y\n\n"));
        for (int first = 0; first <= prefix.length + 1; first++) {
            for (int second = first; second <= prefix.length + 1; second++) {
                assertThat(parseSplitAt(stream, first, second))
                        .as("splits at %d and %d", first, second).containsExactly(event(null, "y"));
            }
        }
    }

    @Test
    void notQuiteBomFollowedByLineEndIsItsOwnLine() {
        byte[] stream = concat(new byte[] {(byte) 0xEF, (byte) 0xBB}, utf8("\r\ndata: a\r\n\r\n"));
        for (int cut = 0; cut <= stream.length; cut++) {
            assertThat(parseSplitAt(stream, cut)).as("split at %d", cut).containsExactly(event(null, "a"));
        }
    }

    @Test
    void streamWithoutBomStartingWithDataParses() {
        assertThat(parse(utf8("d"), utf8("ata: x\n\n"))).containsExactly(event(null, "x"));
    }

    // ---- ByteBuffer input ----------------------------------------------------------------------

    @Test
    void heapBufferWithOffsetIsReadFromItsPositionAndConsumed() {
        byte[] backing = utf8("XXXdata: a\n\nYYY");
        ByteBuffer buffer = ByteBuffer.wrap(backing, 3, 9).slice();
        List<SseEvent> events = new ArrayList<>();

        new SseParser(events::add).feed(buffer);

        assertThat(events).containsExactly(event(null, "a"));
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Test
    void directBufferIsReadAndConsumed() {
        byte[] bytes = utf8("data: direct\n\n");
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        List<SseEvent> events = new ArrayList<>();

        new SseParser(events::add).feed(buffer);

        assertThat(events).containsExactly(event(null, "direct"));
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Test
    void feedHonoursOffsetAndLength() {
        byte[] bytes = utf8("garbage\ndata: a\n\ngarbage");
        List<SseEvent> events = new ArrayList<>();

        new SseParser(events::add).feed(bytes, 8, 9);

        assertThat(events).containsExactly(event(null, "a"));
    }

    @Test
    void dispatchedDataIsNotChangedByLaterInput() {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        byte[] first = utf8("data: first\n\n");
        parser.feed(first, 0, first.length);
        byte[] dispatched = events.get(0).data().clone();

        byte[] second = utf8("data: XXXXXXXXXXXXXXXX\n\n");
        parser.feed(second, 0, second.length);

        assertThat(events.get(0).data()).isEqualTo(dispatched);
    }

    // ---- limits --------------------------------------------------------------------------------

    @Test
    void dataLongerThanTheLimitInOneReadIsRejected() {
        byte[] stream = new byte[SseParser.MAX_EVENT_BYTES + 16];
        Arrays.fill(stream, (byte) 'a');
        System.arraycopy(utf8("data: "), 0, stream, 0, 6);
        stream[stream.length - 2] = '\n';
        stream[stream.length - 1] = '\n';
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);

        assertThatThrownBy(() -> parser.feed(stream, 0, stream.length))
                .isInstanceOf(SseException.class)
                .hasMessageContaining(String.valueOf(SseParser.MAX_EVENT_BYTES));
        assertThat(events).isEmpty();
    }

    @Test
    void unterminatedLineGrowingPastTheLimitIsRejected() {
        byte[] piece = new byte[SseParser.MAX_EVENT_BYTES];
        Arrays.fill(piece, (byte) 'a');
        SseParser parser = new SseParser(event -> { });
        parser.feed(piece, 0, piece.length);

        assertThatThrownBy(() -> parser.feed(new byte[] {'a'}, 0, 1))
                .isInstanceOf(SseException.class)
                .hasMessageContaining("line longer than " + SseParser.MAX_EVENT_BYTES);
    }

    @Test
    void lineOfExactlyTheLimitSpreadOverReadsIsAccepted() {
        byte[] line = new byte[SseParser.MAX_EVENT_BYTES];
        Arrays.fill(line, (byte) 'b');
        System.arraycopy(utf8("data: "), 0, line, 0, 6);
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);

        int half = line.length / 2;
        parser.feed(line, 0, half);
        parser.feed(line, half, line.length - half);
        parser.feed(utf8("\n\n"), 0, 2);

        assertThat(events).hasSize(1);
        assertThat(events.get(0).data()).hasSize(SseParser.MAX_EVENT_BYTES - 6);
    }

    @Test
    void manyDataLinesAddingUpPastTheLimitAreRejected() {
        int lineBytes = 1024 * 1024;
        byte[] line = new byte[lineBytes];
        Arrays.fill(line, (byte) 'c');
        System.arraycopy(utf8("data: "), 0, line, 0, 6);
        line[lineBytes - 1] = '\n';
        SseParser parser = new SseParser(event -> { });

        assertThatThrownBy(() -> {
            for (int i = 0; i <= SseParser.MAX_EVENT_BYTES / lineBytes + 1; i++) {
                parser.feed(line, 0, line.length);
            }
        }).isInstanceOf(SseException.class).hasMessageContaining("event larger than");
    }

    @Test
    void manySmallEventsNeverHitTheLimit() {
        byte[] event = utf8("data: 0123456789abcdef0123456789abcdef\n\n");
        int[] count = {0};
        SseParser parser = new SseParser(e -> count[0]++);
        int events = SseParser.MAX_EVENT_BYTES / event.length + 10;
        for (int i = 0; i < events; i++) {
            parser.feed(event, 0, event.length);
        }
        assertThat(count[0]).isEqualTo(events);
    }

    // ---- text that is not event-stream syntax --------------------------------------------------

    /** Events and other lines (as strings, tagged) in the order the parser reported them. */
    private static List<String> parseWithOtherLines(byte[] stream, int pieceSize, boolean end) {
        List<String> seen = new ArrayList<>();
        SseParser parser = new SseParser(e -> seen.add("event " + e.dataAsString()),
                (line, offset, length) -> seen.add("other " + new String(line, offset, length, StandardCharsets.UTF_8)));
        for (int from = 0; from < stream.length; from += pieceSize) {
            parser.feed(stream, from, Math.min(pieceSize, stream.length - from));
        }
        if (end) {
            parser.end();
        }
        return seen;
    }

    private static final byte[] GEMINI_BARE_ERROR = utf8("data: {\"candidates\":[]}\r\n\r\n"
            + "{\r\n  \"error\": {\r\n    \"code\": 500,\r\n    \"message\": \"Internal \u00e9rror\"\r\n  }\r\n}");

    @Test
    void linesThatAreNotStreamSyntaxGoToTheOtherLineListenerInOrder() {
        assertThat(parseWithOtherLines(GEMINI_BARE_ERROR, GEMINI_BARE_ERROR.length, true)).containsExactly(
                "event {\"candidates\":[]}",
                "other {",
                "other   \"error\": {",
                "other     \"code\": 500,",
                "other     \"message\": \"Internal \u00e9rror\"",
                "other   }",
                "other }");
    }

    @Test
    void otherLinesSplitAcrossReadsArriveWhole() {
        List<String> whole = parseWithOtherLines(GEMINI_BARE_ERROR, GEMINI_BARE_ERROR.length, true);
        for (int size = 1; size < 8; size++) {
            assertThat(parseWithOtherLines(GEMINI_BARE_ERROR, size, true)).as("pieces of %d", size)
                    .containsExactlyElementsOf(whole);
        }
    }

    @Test
    void anUnterminatedLastLineReachesTheListenerOnlyAtTheEnd() {
        List<String> beforeEnd = parseWithOtherLines(GEMINI_BARE_ERROR, GEMINI_BARE_ERROR.length, false);

        assertThat(beforeEnd).last().isEqualTo("other   }");
    }

    @Test
    void streamSyntaxNeverReachesTheOtherLineListener() {
        byte[] stream = utf8(": comment\nid: 1\nretry: 10\nevent: e\ndata: x\ndata\n\nfoo: bar\nDATA: upper\nid: 2");

        assertThat(parseWithOtherLines(stream, stream.length, true))
                .containsExactly("event x\n", "other foo: bar", "other DATA: upper");
        assertThat(parseWithOtherLines(utf8("data: unterminated"), 18, true)).isEmpty();
    }

    @Test
    void withoutAnOtherLineListenerEndChangesNothing() {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        parser.feed(GEMINI_BARE_ERROR, 0, GEMINI_BARE_ERROR.length);
        parser.end();
        parser.end();

        assertThat(events).containsExactly(event(null, "{\"candidates\":[]}"));
    }
}
