package dev.switchboard.json;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8WriterTest {
    /** Writes {@code text} in pieces of the given sizes (the rest in one), then closes. */
    private static byte[] written(String text, int... pieces) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Utf8Writer writer = new Utf8Writer(out)) {
            int at = 0;
            for (int piece : pieces) {
                writer.write(text.toCharArray(), at, piece);
                at += piece;
            }
            writer.write(text, at, text.length() - at);
        }
        return out.toByteArray();
    }

    @Test
    void encodesOneTwoThreeAndFourByteCharactersAsTheJdkDoes() throws IOException {
        String text = "a é € 😀 中文";

        assertThat(written(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSurrogatePairSplitAcrossTwoWritesIsOneCharacter() throws IOException {
        String text = "x😀y";

        // "x" and the high surrogate in one write, the low surrogate and "y" in the next.
        assertThat(written(text, 2)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unpairedSurrogatesBecomeQuestionMarksLikeStringGetBytes() throws IOException {
        String loneHigh = "a\uD83Db";
        String loneLow = "a\uDE00b";
        String highAtTheEnd = "ab\uD83D";
        String twoHighs = "\uD83D\uD83D\uDE00";

        for (String text : List.of(loneHigh, loneLow, highAtTheEnd, twoHighs)) {
            assertThat(written(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void textLongerThanTheBufferArrivesWholeAndInOrder() throws IOException {
        StringBuilder text = new StringBuilder();
        while (text.length() < Utf8Writer.BUFFER_BYTES * 5) {
            text.append("κείμενο 😀 text ");
        }

        assertThat(written(text.toString(), 1, 511, 3)).isEqualTo(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void randomTextInRandomPiecesMatchesTheJdkEncoder() throws IOException {
        Random random = new Random(7);
        char[] alphabet = {'a', '"', '\\', 'é', '€', '\uD83D', '\uDE00', '\uD800', '\uDFFF', '\u07FF', '\u0800', '\uFFFF'};
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            int size = random.nextInt(1500);
            for (int i = 0; i < size; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            List<Integer> pieces = new ArrayList<>();
            for (int left = size; left > 0; ) {
                int piece = Math.min(left, random.nextInt(700));
                pieces.add(piece);
                left -= piece;
            }
            int[] sizes = pieces.stream().mapToInt(Integer::intValue).toArray();

            assertThat(written(text.toString(), sizes)).as("round %d", round)
                    .isEqualTo(text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void flushHoldsBackOnlyAHighSurrogateWaitingForItsPair() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Utf8Writer writer = new Utf8Writer(out);

        writer.write("ok\uD83D");
        writer.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ok");

        writer.write("\uDE00");
        writer.close();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ok😀");
    }

    @Test
    void flushAndCloseReachTheStream() throws IOException {
        List<String> calls = new ArrayList<>();
        OutputStream out = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                calls.add("flush " + size());
            }

            @Override
            public void close() {
                calls.add("close " + size());
            }
        };
        Utf8Writer writer = new Utf8Writer(out);

        writer.write("abc");
        writer.flush();
        writer.write("d");
        writer.close();

        assertThat(calls).containsExactly("flush 3", "close 4");
    }

    @Test
    void theSharedGeneratorStillWritesUtf8() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject().write("content", "héllo 😀 \"quoted\"").writeEnd();
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"content\":\"héllo 😀 \\\"quoted\\\"\"}");
    }
}
