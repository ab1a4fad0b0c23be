package dev.switchboard.provider.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EchoTokensTest {
    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                 | 0",
            "`   `              | 0",
            "`\n\t `            | 0",
            "hello              | 1",
            "hello world        | 2",
            "`  hello   world ` | 2",
            "Hello, world!      | 4",
            "it's               | 3",
            "42                 | 1",
            "a1b2c3             | 1",
            "3.14               | 3",
            "x--y               | 4",
            "snake_case         | 3",
            "caf\u00e9          | 1",
            "\u65e5\u672c\u8a9e | 1",
            "\u20ac5            | 2",
            "\uD83D\uDE00       | 1",
            "\uD83D\uDE00\uD83D\uDE00 | 2",
            "ab\uD83D\uDE00cd   | 3",
            "{\"a\":1}          | 7"})
    void countFollowsTheDocumentedRule(String text, long tokens) {
        assertThat(EchoTokens.count(text)).isEqualTo(tokens);
    }

    private static JsonValue content(String json) {
        return Json.parseObject("{\"c\":" + json + "}").get("c");
    }

    @Test
    void textOfAStringContentIsTheString() {
        assertThat(EchoTokens.text(content("\"hi there\""))).isEqualTo("hi there");
    }

    @Test
    void textOfPartsJoinsTheTextPartsWithNewlines() {
        assertThat(EchoTokens.text(content("[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\",\"image_url\":{}},"
                + "{\"type\":\"text\",\"text\":\"b\"}]"))).isEqualTo("a\nb");
    }

    @Test
    void textOfMissingOrNullContentIsEmpty() {
        assertThat(EchoTokens.text(null)).isEmpty();
        assertThat(EchoTokens.text(JsonValue.NULL)).isEmpty();
        assertThat(EchoTokens.text(content("[]"))).isEmpty();
    }

    @Test
    void promptCountsTheTextOfEveryMessage() {
        JsonArray messages = Json.parseObject("{\"m\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"one two\"}]},"
                + "{\"role\":\"assistant\",\"content\":null},{\"role\":\"user\",\"content\":\"three\"}]}").getJsonArray("m");

        assertThat(EchoTokens.prompt(messages)).isEqualTo(3 + 2 + 0 + 1);
    }
}
