package dev.switchboard.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BytesTest {
    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsTheFirstOccurrenceFromWhereItStarts() {
        byte[] text = ascii("ab\"usage\"cd\"usage\"");

        assertThat(Bytes.indexOf(text, 0, ascii("\"usage\""))).isEqualTo(2);
        assertThat(Bytes.indexOf(text, 3, ascii("\"usage\""))).isEqualTo(11);
        assertThat(Bytes.indexOf(text, 12, ascii("\"usage\""))).isEqualTo(-1);
    }

    @Test
    void theEndBoundIsExclusiveAndANeedleAtTheVeryEndIsFound() {
        byte[] text = ascii("xx__thought__");

        assertThat(Bytes.indexOf(text, 0, text.length, ascii("__thought__"))).isEqualTo(2);
        assertThat(Bytes.indexOf(text, 0, text.length - 1, ascii("__thought__"))).isEqualTo(-1);
    }

    @Test
    void regionMatchesOutsideTheArrayIsFalse() {
        byte[] text = ascii("null");

        assertThat(Bytes.regionMatches(text, 0, ascii("null"))).isTrue();
        assertThat(Bytes.regionMatches(text, 1, ascii("null"))).isFalse();
        assertThat(Bytes.regionMatches(text, -1, ascii("n"))).isFalse();
    }

    @Test
    void multiByteCharactersNeverMatchAnAsciiNeedle() {
        byte[] text = ascii("é\"content\":\"ü");

        assertThat(Bytes.indexOf(text, 0, ascii("\"content\":\""))).isEqualTo(2);
    }

    @Test
    void nextMemberValueSkipsWhitespaceAndTheColonAndPassesOverTheKeyTextUsedAsAValue() {
        byte[] text = ascii("[\"usage\", {\"usage\" :\t null}, {\"usage\":{}}]");
        byte[] key = ascii("\"usage\"");

        int first = Bytes.nextMemberValue(text, 0, key);
        assertThat(first).as("the array element \"usage\" is no key").isEqualTo(new String(text).indexOf("null"));
        int second = Bytes.nextMemberValue(text, first, key);
        assertThat(text[second]).isEqualTo((byte) '{');
        assertThat(Bytes.nextMemberValue(text, second, key)).isEqualTo(-1);
    }

    @Test
    void skipWhitespaceStopsAtTheEndBound() {
        byte[] text = ascii(" \t\r\n x");

        assertThat(Bytes.skipWhitespace(text, 0, text.length)).isEqualTo(5);
        assertThat(Bytes.skipWhitespace(text, 0, 3)).isEqualTo(3);
    }
}
