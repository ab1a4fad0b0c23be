package dev.switchboard.provider.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignedToolCallIdsTest {
    private static final String SIGNED = "call_r1_0_0__thought__CiQBH7Fs9x+mq0Xx4y/Ptvcw3mcBvg1Ht0s=";

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"call_abc", "toolu_01A", "gcall_g7", "functions.f:0", "a__thought_b", ""})
    void idsWithoutASignaturePassUnchanged(String id) {
        assertThat(SignedToolCallIds.isSigned(id)).isFalse();
        assertThat(SignedToolCallIds.shorten(id)).isSameAs(id);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({
            "call_r1_0_0__thought__CiQBH7Fs9x+mq0Xx4y/Ptvcw3mcBvg1Ht0s=, call_f5fd9bc26f4de7351d898ff2",
            // Same base, another signature: another id, so two calls never collapse into one.
            "call_r1_0_0__thought__CiQBH7Fs9x+mq0Xx4y/Ptvcw3mcBvg1Ht0t=, call_9a02749bcba1b1b0877ab77f",
    })
    void signedIdsBecomeAShortDeterministicId(String id, String expected) {
        String shortId = SignedToolCallIds.shorten(id);

        assertThat(shortId).matches("call_[0-9a-f]{24}").hasSizeLessThanOrEqualTo(40).isEqualTo(expected);
        assertThat(SignedToolCallIds.shorten(id)).isEqualTo(shortId);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "{\"id\":\"" + SIGNED + "\"}    | true",
            "__thought__                     | true",
            "x__thought_                     | false",
            "_ _thought__                    | false",
            "{\"content\":\"plain\"}          | false",
            "''                              | false",
    })
    void findsTheMarkerByBytes(String body, boolean found) {
        byte[] bytes = (body + "   ").getBytes(StandardCharsets.UTF_8);

        assertThat(SignedToolCallIds.mayAppearIn(bytes, body.length())).isEqualTo(found);
    }

    @org.junit.jupiter.api.Test
    void looksOnlyWithinTheGivenLength() {
        byte[] bytes = "{\"a\":1}__thought__".getBytes(StandardCharsets.US_ASCII);

        assertThat(SignedToolCallIds.mayAppearIn(bytes, 7)).isFalse();
        assertThat(SignedToolCallIds.mayAppearIn(bytes, bytes.length)).isTrue();
    }
}
