package dev.switchboard.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Strings written by hand come out byte for byte as the JSON-P generator writes them. */
class JsonBufferTest {
    /** {@code value} as the generator writes a string member's value. */
    private static byte[] generated(String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartArray().write(value).writeEnd();
        }
        byte[] array = out.toByteArray();
        return java.util.Arrays.copyOfRange(array, 1, array.length - 1);
    }

    private static byte[] written(String value) {
        return new JsonBuffer(4).string(value).toByteArray();
    }

    @Test
    void everyCharOfTheBasicPlaneIsWrittenAsTheGeneratorWritesIt() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0xFFFF; c++) {
            String one = String.valueOf(c);
            assertThat(written(one)).as("U+%04X", (int) c).isEqualTo(generated(one));
            all.append(c);
        }
        assertThat(written(all.toString())).isEqualTo(generated(all.toString()));
    }

    @Test
    void surrogatePairsAreOneCharacterAndLoneSurrogatesAQuestionMark() {
        for (String text : new String[] {"\uD83D\uDE00", "a\uD83D\uDE00b", "\uD83D", "\uDE00", "x\uD83Dy", "\uDE00\uD83D",
                "\uD83D\uD83D\uDE00", "\uDBFF\uDFFF", "\uD800\uDC00"}) {
            assertThat(written(text)).as(text).isEqualTo(generated(text));
        }
        assertThat(written("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"".getBytes(StandardCharsets.UTF_8));
        assertThat(written("x\uD83D")).isEqualTo("\"x?\"".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void growsForLongTextsAndManyEscapes() {
        String escapes = "\u0001\"".repeat(5_000);
        String mixed = "é€😀\n".repeat(3_000);

        assertThat(written(escapes)).isEqualTo(generated(escapes));
        assertThat(written(mixed)).isEqualTo(generated(mixed));
    }

    @Test
    void rawBytesAndNumbersGoInAsTheyAre() {
        JsonBuffer buffer = new JsonBuffer(2);
        byte[] json = buffer.raw("{\"n\":".getBytes(StandardCharsets.US_ASCII)).number(Long.MIN_VALUE)
                .raw("}".getBytes(StandardCharsets.US_ASCII)).toByteArray();

        assertThat(new String(json, StandardCharsets.US_ASCII)).isEqualTo("{\"n\":" + Long.MIN_VALUE + "}");
        assertThat(buffer.reset().number(0).toByteArray()).isEqualTo(new byte[] {'0'});
    }

    @Test
    void nullIsRefusedAsTheGeneratorRefusesIt() {
        assertThatThrownBy(() -> new JsonBuffer(8).string(null)).isInstanceOf(NullPointerException.class);
    }
}
