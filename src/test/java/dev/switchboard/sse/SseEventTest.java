package dev.switchboard.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SseEventTest {
    private static SseEvent data(String text) {
        return new SseEvent(null, text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "''{0}'' is done: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "[DONE]    | true",
            "[done]    | false",
            "\" [DONE]\" | false",
            "\"[DONE] \" | false",
            "[DONE]]   | false",
            "DONE      | false",
            "\"\"      | false",
            "{}        | false"})
    void isDoneOnlyForTheExactSentinel(String text, boolean done) {
        assertThat(data(text).isDone()).isEqualTo(done);
    }

    @Test
    void isDoneIgnoresTheEventType() {
        assertThat(new SseEvent("message", "[DONE]".getBytes(StandardCharsets.US_ASCII)).isDone()).isTrue();
    }

    @Test
    void equalityComparesTypeAndDataContents() {
        SseEvent a = new SseEvent("t", new byte[] {1, 2});
        SseEvent same = new SseEvent("t", new byte[] {1, 2});

        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(a).isNotEqualTo(new SseEvent("t", new byte[] {1, 3}));
        assertThat(a).isNotEqualTo(new SseEvent(null, new byte[] {1, 2}));
    }

    @Test
    void dataAsStringDecodesUtf8() {
        assertThat(data("\u20ac \uD83D\uDE00").dataAsString()).isEqualTo("\u20ac \uD83D\uDE00");
    }

    @Test
    void toStringShowsTypeAndText() {
        assertThat(new SseEvent("ping", "x".getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo("SseEvent[type=ping, data=x]");
    }
}
