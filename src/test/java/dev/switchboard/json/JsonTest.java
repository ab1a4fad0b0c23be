package dev.switchboard.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    private static JsonObject strict(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Json.parseStrictObject(bytes, bytes.length);
    }

    /** {@code depth} objects nested in each other: {"a":{"a":...{}}}. */
    static String nestedObjects(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    @Test
    void parsesAnObject() {
        JsonObject json = strict(" {\"a\": [1, true, null], \"b\": {\"c\": \"d\"}} \n");

        assertThat(json.getJsonArray("a")).hasSize(3);
        assertThat(json.getJsonObject("b").getString("c")).isEqualTo("d");
    }

    @Test
    void honoursTheLengthArgument() {
        byte[] bytes = "{\"a\":1}GARBAGE".getBytes(StandardCharsets.UTF_8);

        assertThat(Json.parseStrictObject(bytes, 7).getInt("a")).isEqualTo(1);
    }

    @Test
    void booleansAreTheSharedConstants() {
        // Callers compare with == JsonValue.TRUE.
        assertThat(strict("{\"t\":true,\"f\":false}").get("t")).isSameAs(JsonValue.TRUE);
        assertThat(Json.parseObject("{\"t\":true}".getBytes(StandardCharsets.UTF_8)).get("t")).isSameAs(JsonValue.TRUE);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                      | ",
            "`   `                   | ",
            "{                       | ",
            "{\"a\":}                | ",
            "not json                | ",
            "{'a':1}                 | ",
            "{\"a\":1,}              | ",
            "[1,2]                   | expected a JSON object but found an array",
            "\"text\"                | expected a JSON object but found a string",
            "42                      | expected a JSON object but found a number",
            "null                    | expected a JSON object but found null",
            "{\"a\":1,\"a\":2}       | Duplicate key 'a'",
            "{\"o\":{\"k\":1,\"k\":1}} | Duplicate key 'k'",
            "{\"o\":[{\"k\":1,\"k\":2}]} | Duplicate key 'k'",
            "{} x                    | ",
            "{}{}                    | ",
            "{\"model\":\"a\"} {\"model\":\"b\"} | ",
            "{\"a\":1} ]             | "})
    void strictParsingRejects(String text, String fragment) {
        assertThatThrownBy(() -> strict(text))
                .isInstanceOf(JsonSyntaxException.class)
                .hasMessageContaining(fragment == null ? "" : fragment)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("\n"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{} x", "{}{}", "{\"a\":1} [1]"})
    void trailingContentIsRejectedByEveryEntryPoint(String text) {
        assertThatThrownBy(() -> strict(text)).isInstanceOf(JsonSyntaxException.class);
        assertThatThrownBy(() -> Json.parseObject(text)).isInstanceOf(JsonSyntaxException.class);
        assertThatThrownBy(() -> Json.parseObject(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonSyntaxException.class);
    }

    @Test
    void trailingWhitespaceIsAccepted() {
        assertThat(strict("{\"a\":1} \r\n\t ").getInt("a")).isEqualTo(1);
    }

    @ParameterizedTest(name = "bytes {0}")
    @ValueSource(strings = {"ff", "c3", "c328", "e282", "f09f98", "c0af", "eda080", "f4908080"})
    void invalidUtf8IsRejectedRatherThanReplaced(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] body = new byte[bad.length + 9];
        System.arraycopy("{\"a\":\"".getBytes(StandardCharsets.US_ASCII), 0, body, 0, 6);
        System.arraycopy(bad, 0, body, 6, bad.length);
        System.arraycopy("\"}".getBytes(StandardCharsets.US_ASCII), 0, body, 6 + bad.length, 2);

        assertThatThrownBy(() -> Json.parseStrictObject(body, bad.length + 8))
                .isInstanceOf(JsonSyntaxException.class)
                .hasMessage("it is not valid UTF-8");
    }

    /**
     * A body of ASCII only skips the decoder; one byte outside ASCII anywhere within the length,
     * its first and its last included, sends it through the decoder that refuses invalid UTF-8.
     */
    @ParameterizedTest(name = "at {0}")
    @ValueSource(ints = {0, 5, 8})
    void oneNonAsciiByteAnywhereIsDecodedStrictly(int at) {
        byte[] body = "{\"a\":\"x\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] bad = java.util.Arrays.copyOf(body, body.length);
        bad[at] = (byte) 0xff;

        assertThatThrownBy(() -> Json.parseStrictObject(bad, bad.length))
                .isInstanceOf(JsonSyntaxException.class)
                .hasMessage("it is not valid UTF-8");
        assertThat(Json.parseStrictObject(body, body.length).getString("a")).isEqualTo("x");
    }

    @Test
    void validMultiByteUtf8IsDecoded() {
        assertThat(strict("{\"a\":\"\u00e9\u20ac\uD83D\uDE00\"}").getString("a")).isEqualTo("\u00e9\u20ac\uD83D\uDE00");
    }

    @Test
    void nestingOfExactlyMaxDepthIsAccepted() {
        assertThat(strict(nestedObjects(Json.MAX_DEPTH))).containsKey("a");
        assertThat(Json.parseObject(nestedObjects(Json.MAX_DEPTH))).containsKey("a");
    }

    @Test
    void nestingDeeperThanMaxDepthIsASyntaxError() {
        assertThatThrownBy(() -> strict(nestedObjects(Json.MAX_DEPTH + 1))).isInstanceOf(JsonSyntaxException.class);
        assertThatThrownBy(() -> Json.parseObject(nestedObjects(Json.MAX_DEPTH + 1).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonSyntaxException.class);
        String arrays = "{\"a\":" + "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH) + "}";
        assertThatThrownBy(() -> strict(arrays)).isInstanceOf(JsonSyntaxException.class);
    }

    @Test
    void veryDeepNestingIsASyntaxErrorNotAStackOverflow() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThatThrownBy(() -> strict(deep)).isInstanceOf(JsonSyntaxException.class);
    }

    @Test
    void lenientParsingAcceptsDuplicateKeys() {
        JsonObject json = Json.parseObject("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8));

        assertThat(json.getInt("a")).isEqualTo(2);
    }

    @Test
    void lenientParsingReadsTheGivenRange() {
        byte[] bytes = "xx{\"a\":\"é\"}yy".getBytes(StandardCharsets.UTF_8);

        assertThat(Json.parseObject(bytes, 2, bytes.length - 4).getString("a")).isEqualTo("é");
        assertThatThrownBy(() -> Json.parseObject(bytes, 0, bytes.length)).isInstanceOf(JsonSyntaxException.class);
    }

    @Test
    void lenientParsingReplacesInvalidUtf8LikeAReader() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};

        assertThat(Json.parseObject(bytes).getString("a")).isEqualTo("\uFFFD");
    }

    @Test
    void streamingParserWalksTheGivenRange() {
        byte[] bytes = "xx{\"a\":1}yy".getBytes(StandardCharsets.UTF_8);
        try (JsonParser parser = Json.parser(bytes, 2, 7)) {
            assertThat(parser.next()).isEqualTo(JsonParser.Event.START_OBJECT);
            assertThat(parser.getObject().getInt("a")).isEqualTo(1);
        }
    }

    @Test
    void writeSerialisesCompactUtf8() {
        JsonObject value = jakarta.json.Json.createObjectBuilder().add("k", "\u20ac").addNull("n").build();

        assertThat(new String(Json.write(value), StandardCharsets.UTF_8)).isEqualTo("{\"k\":\"\u20ac\",\"n\":null}");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "{}       | an object",
            "[]       | an array",
            "\"s\"    | a string",
            "1.5      | a number",
            "true     | a boolean",
            "false    | a boolean",
            "null     | null"})
    void typeNameNamesJsonTypesAsAClientWouldSay(String json, String name) {
        JsonValue value = Json.parseObject("{\"v\":" + json + "}").get("v");

        assertThat(Json.typeName(value)).isEqualTo(name);
    }

    @Test
    void typeNameOfAMissingValueIsNothing() {
        assertThat(Json.typeName(null)).isEqualTo("nothing");
    }

    @Test
    void valuesAreCountedFromStructureOutsideStrings() {
        byte[] three = "{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8);
        assertThat(Json.exceedsValues(three, three.length, 3)).isFalse();
        assertThat(Json.exceedsValues(three, three.length, 2)).isTrue();

        byte[] punctuationInStrings = "{\"a\":\"[{,,,}]\\\",[\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Json.exceedsValues(punctuationInStrings, punctuationInStrings.length, 1)).isFalse();
    }
}
