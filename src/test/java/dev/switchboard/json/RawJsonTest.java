package dev.switchboard.json;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RawJsonTest {
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The text of the found range, or null when nothing was found. */
    private static String found(String json, String name) {
        byte[] bytes = utf8(json);
        long range = RawJson.findTopLevelString(bytes, bytes.length, name);
        if (range < 0) {
            return null;
        }
        int start = (int) (range >>> 32);
        int end = (int) range;
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    static Stream<Arguments> topLevelModels() {
        return Stream.of(
                Arguments.of("first key", "{\"model\":\"gpt-4o\",\"messages\":[]}", "\"gpt-4o\""),
                Arguments.of("last key", "{\"messages\":[],\"model\":\"gpt-4o\"}", "\"gpt-4o\""),
                Arguments.of("whitespace around", "{ \n\t\"model\" \r\n : \t \"m\" }", "\"m\""),
                Arguments.of("empty value", "{\"model\":\"\"}", "\"\""),
                Arguments.of("nested object before",
                        "{\"metadata\":{\"model\":\"inner\"},\"model\":\"outer\"}", "\"outer\""),
                Arguments.of("deeply nested before",
                        "{\"a\":{\"b\":{\"model\":\"x\",\"c\":[{\"model\":\"y\"}]}},\"model\":\"outer\"}", "\"outer\""),
                Arguments.of("nested in array before",
                        "{\"messages\":[{\"role\":\"user\",\"model\":\"inner\"}],\"model\":\"outer\"}", "\"outer\""),
                Arguments.of("array of arrays before",
                        "{\"a\":[[\"model\"],[{\"model\":1}]],\"model\":\"outer\"}", "\"outer\""),
                Arguments.of("empty object and array before", "{\"a\":{},\"b\":[],\"model\":\"m\"}", "\"m\""),
                Arguments.of("model as a string value before",
                        "{\"name\":\"model\",\"model\":\"real\"}", "\"real\""),
                Arguments.of("model as an array element before",
                        "{\"stop\":[\"model\",\"x\"],\"model\":\"real\"}", "\"real\""),
                Arguments.of("escaped quotes in another string",
                        "{\"a\":\"say \\\"model\\\": \\\"x\\\"\",\"model\":\"real\"}", "\"real\""),
                Arguments.of("string ending in an escaped backslash",
                        "{\"a\":\"\\\\\",\"model\":\"real\"}", "\"real\""),
                Arguments.of("braces inside strings",
                        "{\"a\":\"}{[,\",\"model\":\"real\"}", "\"real\""),
                Arguments.of("escapes inside the value", "{\"model\":\"a\\\"b\\\\\"}", "\"a\\\"b\\\\\""),
                Arguments.of("multi-byte text before", "{\"\u00fc\":\"\u20ac\uD83D\uDE00\",\"model\":\"m\"}", "\"m\""),
                Arguments.of("multi-byte value", "{\"model\":\"mod\u00e8le\"}", "\"mod\u00e8le\""),
                Arguments.of("numbers and literals before",
                        "{\"t\":1.5e3,\"b\":true,\"n\":null,\"model\":\"m\"}", "\"m\""),
                Arguments.of("longer and shorter keys",
                        "{\"models\":\"no\",\"mode\":\"no\",\"xmodel\":\"no\",\"model\":\"yes\"}", "\"yes\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topLevelModels")
    void findsTheTopLevelStringValueWithItsQuotes(String name, String json, String expected) {
        assertThat(found(json, "model")).isEqualTo(expected);
    }

    static Stream<Arguments> notFound() {
        return Stream.of(
                Arguments.of("absent", "{\"messages\":[]}"),
                Arguments.of("empty object", "{}"),
                Arguments.of("only nested", "{\"o\":{\"model\":\"x\"}}"),
                Arguments.of("only in an array", "{\"a\":[{\"model\":\"x\"}]}"),
                Arguments.of("only as a value", "{\"a\":\"model\"}"),
                Arguments.of("only inside another string", "{\"a\":\"\\\"model\\\":\\\"x\\\"\"}"),
                Arguments.of("number", "{\"model\":1}"),
                Arguments.of("null", "{\"model\":null}"),
                Arguments.of("true", "{\"model\":true}"),
                Arguments.of("object", "{\"model\":{\"model\":\"x\"}}"),
                Arguments.of("array", "{\"model\":[\"x\"]}"),
                Arguments.of("key with a unicode escape", "{\"mod\\u0065l\":\"x\"}"),
                Arguments.of("key with an escaped solidus", "{\"mode\\/l\":\"x\"}"),
                Arguments.of("truncated", "{\"model\""),
                Arguments.of("truncated after colon", "{\"model\": "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notFound")
    void returnsMinusOneWhenThereIsNoPlainTopLevelStringMember(String name, String json) {
        byte[] bytes = utf8(json);

        assertThat(RawJson.findTopLevelString(bytes, bytes.length, "model")).isEqualTo(-1L);
    }

    @Test
    void looksOnlyWithinTheGivenLength() {
        byte[] bytes = utf8("{\"a\":1}{\"model\":\"beyond\"}");

        assertThat(RawJson.findTopLevelString(bytes, 7, "model")).isEqualTo(-1L);
    }

    @Test
    void findsOtherNames() {
        assertThat(found("{\"model\":\"m\",\"user\":\"u\"}", "user")).isEqualTo("\"u\"");
    }

    @Test
    void spliceReplacesTheRangeAndKeepsTheRest() {
        byte[] json = utf8("{\"model\":\"old\",\"x\":1}");

        byte[] out = RawJson.splice(json, json.length, 9, 14, utf8("\"newer\""));

        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"newer\",\"x\":1}");
    }

    @Test
    void spliceHonoursTheLengthAndCanShrink() {
        byte[] json = utf8("{\"model\":\"long-name\"}JUNK");

        byte[] out = RawJson.splice(json, json.length - 4, 9, 20, utf8("\"m\""));

        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"m\"}");
    }

    @Test
    void spliceAtTheEdges() {
        byte[] json = utf8("abc");

        assertThat(RawJson.splice(json, 3, 0, 0, utf8("<"))).isEqualTo(utf8("<abc"));
        assertThat(RawJson.splice(json, 3, 3, 3, utf8(">"))).isEqualTo(utf8("abc>"));
        assertThat(RawJson.splice(json, 3, 0, 3, new byte[0])).isEmpty();
    }

    static Stream<Arguments> quotes() {
        return Stream.of(
                Arguments.of("plain", "gpt-4o", "\"gpt-4o\""),
                Arguments.of("empty", "", "\"\""),
                Arguments.of("quote", "a\"b", "\"a\\\"b\""),
                Arguments.of("backslash", "a\\b", "\"a\\\\b\""),
                Arguments.of("newline", "a\nb", "\"a\\nb\""),
                Arguments.of("carriage return", "a\rb", "\"a\\rb\""),
                Arguments.of("tab", "a\tb", "\"a\\tb\""),
                Arguments.of("NUL", "a\u0000b", "\"a\\u0000b\""),
                Arguments.of("backspace", "\b", "\"\\b\""),
                Arguments.of("form feed", "\f", "\"\\f\""),
                Arguments.of("unit separator", "\u001f", "\"\\u001f\""),
                Arguments.of("space and DEL kept", " \u007f", "\" \u007f\""),
                Arguments.of("solidus kept", "a/b", "\"a/b\""),
                Arguments.of("non-ASCII kept as UTF-8", "\u00e9\u20ac\uD83D\uDE00", "\"\u00e9\u20ac\uD83D\uDE00\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quotes")
    void quoteEscapesPerRfc8259(String name, String value, String expected) {
        assertThat(new String(RawJson.quote(value), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void quoteOfEveryControlCharacterParsesBackToTheSameString() {
        IntStream.range(0, 0x20).forEach(c -> {
            String value = "x" + (char) c + "y\"\\";
            JsonObject parsed = Json.parseObject("{\"v\":" + new String(RawJson.quote(value), StandardCharsets.UTF_8) + "}");
            assertThat(parsed.getString("v")).as("char %d", c).isEqualTo(value);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3.1:8b", "name with \"quotes\"", "back\\slash", "line\nbreak", "\u00e9\u20ac\uD83D\uDE00", ""})
    void spliceWithQuoteProducesValidJsonWithTheNewValue(String replacement) {
        byte[] json = utf8("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"model\":\"old\",\"n\":1}");
        long range = RawJson.findTopLevelString(json, json.length, "model");

        byte[] out = RawJson.splice(json, json.length, (int) (range >>> 32), (int) range, RawJson.quote(replacement));

        JsonObject parsed = Json.parseStrictObject(out, out.length);
        assertThat(parsed.getString("model")).isEqualTo(replacement);
        assertThat(parsed.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("hi");
        assertThat(parsed.getInt("n")).isEqualTo(1);
    }
}
