package dev.switchboard.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The scanner reads what the tree parser reads, or gives up: never a different answer. */
class JsonScannerTest {
    private static final byte[] K = ascii("k");
    private static final byte[] N = ascii("n");

    static List<String> stringLiterals() {
        try (InputStream in = JsonScannerTest.class.getResourceAsStream("/fixtures/json/strings.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The member {@code k} of a one-member object, read by the scanner. */
    private static String scannedString(byte[] object) {
        JsonScanner scanner = new JsonScanner(object);
        scanner.beginObject();
        assertThat(scanner.nextMember()).isTrue();
        assertThat(scanner.keyIs(K)).isTrue();
        String value = scanner.string();
        assertThat(scanner.nextMember()).isFalse();
        scanner.end();
        return value;
    }

    @ParameterizedTest
    @MethodSource("stringLiterals")
    void unescapesEveryFixtureStringAsTheTreeParserDoes(String literal) {
        byte[] object = concat("{\"k\":" + literal + "}");
        String expected = Json.parseObject(object).getString("k");

        assertThat(scannedString(object)).isEqualTo(expected);
    }

    @Test
    void surrogatePairsAndLoneSurrogatesStayAsTheEscapesSay() {
        assertThat(scannedString(concat("{\"k\":\"\\ud83d\\ude00\"}"))).isEqualTo("\uD83D\uDE00").hasSize(2)
                .isEqualTo(new String(Character.toChars(0x1F600)));
        assertThat(scannedString(concat("{\"k\":\"x\\ud83dy\"}"))).isEqualTo("x\uD83Dy");
        assertThat(scannedString(concat("{\"k\":\"\\u00e9\"}"))).isEqualTo("é");
    }

    @Test
    void readsMembersInAnyOrderAndSkipsTheRest() {
        JsonScanner scanner = new JsonScanner(concat(
                " {\"skip\":[1,-2.5e3,{\"a\":[true,false,null]},\"s\\\"\"], \"n\" : 42 ,\"k\":\"v\",\"o\":{}}\n"));
        long n = -1;
        String k = null;
        scanner.beginObject();
        while (scanner.nextMember()) {
            if (scanner.keyIs(N)) {
                n = scanner.integer(-1);
            } else if (scanner.keyIs(K)) {
                k = scanner.string();
            } else {
                scanner.skipValue();
            }
        }
        scanner.end();

        assertThat(n).isEqualTo(42);
        assertThat(k).isEqualTo("v");
    }

    @Test
    void aValueOfAnotherTypeReadsAsMissingAsJsonFieldsHasIt() {
        JsonScanner scanner = new JsonScanner(concat("{\"k\":5,\"n\":\"5\",\"o\":null,\"p\":[]}"));
        scanner.beginObject();
        scanner.nextMember();
        assertThat(scanner.string()).isNull();
        scanner.nextMember();
        assertThat(scanner.integer(-7)).isEqualTo(-7);
        scanner.nextMember();
        assertThat(scanner.beginObjectIfAny()).isFalse();
        scanner.nextMember();
        assertThat(scanner.integer(-7)).isEqualTo(-7);
        assertThat(scanner.nextMember()).isFalse();
        scanner.end();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "[]", "{", "{\"k\":\"v\"", "{\"k\":\"v\",}", "{\"k\" \"v\"}", "{\"k\":\"v\"} x", "{\"k\":\"v\"}{}",
        "{\"k\":tru}", "{\"k\":nul}", "{\"k\":01}", "{\"k\":1.}", "{\"k\":-}", "{\"k\":.5}", "{\"k\":1e}",
        "{\"k\":[1,]}", "{\"k\":[1 2]}", "{\"k\":\"\\x\"}", "{\"k\":\"\\u12G4\"}", "{\"k\":\"\\u12\"}",
        "{\"k\":\"tab\tinside\"}", "{\"k\":\"unterminated}", "{'k':1}", "{k:1}", "{\"\\u006b\":1}",
    })
    void givesUpOnWhatItDoesNotReadExactly(String text) {
        assertThatThrownBy(() -> skipAll(concat(text))).isInstanceOf(JsonScanner.NotScanned.class);
    }

    @Test
    void givesUpOnMalformedUtf8WhichTheTreeParserReplaces() {
        byte[][] malformed = {
            {(byte) 0xC3}, {(byte) 0xC3, 'x'}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82},
        };
        for (byte[] bad : malformed) {
            byte[] head = ascii("{\"k\":\"a");
            byte[] tail = ascii("b\"}");
            byte[] object = new byte[head.length + bad.length + tail.length];
            System.arraycopy(head, 0, object, 0, head.length);
            System.arraycopy(bad, 0, object, head.length, bad.length);
            System.arraycopy(tail, 0, object, head.length + bad.length, tail.length);
            assertThatThrownBy(() -> scannedString(object)).isInstanceOf(JsonScanner.NotScanned.class);
        }
    }

    @Test
    void leavesNumbersItCannotReadAsLongsToTheTreeParser() {
        for (String number : List.of("1.5", "1e3", "1234567890123456789", "-0.0")) {
            JsonScanner scanner = new JsonScanner(concat("{\"n\":" + number + "}"));
            scanner.beginObject();
            scanner.nextMember();
            assertThatThrownBy(() -> scanner.integer(0)).isInstanceOf(JsonScanner.NotScanned.class);
        }
        JsonScanner scanner = new JsonScanner(concat("{\"n\":4294967296}"));
        scanner.beginObject();
        scanner.nextMember();
        assertThatThrownBy(() -> scanner.intValue(0)).isInstanceOf(JsonScanner.NotScanned.class);
    }

    @Test
    void readsTheLargestIntegersItAcceptsAsTheTreeParserDoes() {
        for (String number : List.of("0", "-0", "-1", "999999999999999999", "-999999999999999999")) {
            byte[] object = concat("{\"n\":" + number + "}");
            JsonObject tree = Json.parseObject(object);
            JsonScanner scanner = new JsonScanner(object);
            scanner.beginObject();
            scanner.nextMember();

            assertThat(scanner.integer(7)).isEqualTo(tree.getJsonNumber("n").longValue());
        }
    }

    @Test
    void givesUpOnNestingDeeperThanItsLimitWhichTheTreeParserStillReads() {
        int levels = JsonScanner.MAX_DEPTH + 1;
        byte[] object = concat("{\"k\":" + "[".repeat(levels) + "]".repeat(levels) + "}");

        assertThat(Json.parseObject(object)).containsKey("k");
        assertThatThrownBy(() -> skipAll(object)).isInstanceOf(JsonScanner.NotScanned.class);
        skipAll(concat("{\"k\":" + "[".repeat(levels - 1) + "]".repeat(levels - 1) + "}"));
    }

    @Test
    void scansOnlyTheRangeItIsGiven() {
        byte[] padded = concat("xx{\"k\":\"v\"}yy");
        JsonScanner scanner = new JsonScanner(padded, 2, padded.length - 4);
        scanner.beginObject();
        scanner.nextMember();
        assertThat(scanner.string()).isEqualTo("v");
        assertThat(scanner.nextMember()).isFalse();
        scanner.end();
    }

    private static void skipAll(byte[] object) {
        JsonScanner scanner = new JsonScanner(object);
        scanner.beginObject();
        while (scanner.nextMember()) {
            scanner.skipValue();
        }
        scanner.end();
    }

    private static byte[] concat(String... parts) {
        return String.join("", parts).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
