package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChatRequestTest {
    /**
     * Unusual but valid spelling everywhere: spaces, key order, number forms, a nested "model"
     * key and "model" as a value, escapes, non-ASCII. All of it must survive a model swap.
     */
    private static final String ODD_BODY = "{ \"temperature\" : 1.50, \"messages\":[\n"
            + "  {\"role\":\"user\", \"content\":\"which \\\"model\\\" are you? caf\u00e9 \\u00e9 \uD83D\uDE00\"}],\n"
            + "\t\"metadata\":{\"model\":\"nested\"}, \"stop\":[\"model\"],\n"
            + "  \"model\"  :  \"fast\" , \"top_p\":1E-1, \"max_tokens\":100, \"future\":{\"x\":[1e-3,-0.0]} }";

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ChatRequest parse(String body) {
        byte[] bytes = utf8(body);
        return ChatRequestParser.parse(bytes, bytes.length);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void sameModelReturnsTheOriginalBytes() {
        byte[] body = utf8(ODD_BODY);
        ChatRequest request = ChatRequestParser.parse(body, body.length);

        assertThat(request.bodyWithModel("fast")).isEqualTo(body);
    }

    @Test
    void sameModelReturnsOnlyTheBodyLength() {
        byte[] body = utf8(ODD_BODY + "#JUNK BEYOND THE BODY#");
        ChatRequest request = ChatRequestParser.parse(body, ODD_BODY.getBytes(StandardCharsets.UTF_8).length);

        assertThat(text(request.bodyWithModel("fast"))).isEqualTo(ODD_BODY);
    }

    static Stream<Arguments> newModels() {
        return Stream.of(
                Arguments.of("llama3.1:8b", "\"llama3.1:8b\""),
                Arguments.of("x", "\"x\""),
                Arguments.of("a-much-longer-upstream-model-name-2025-01-01", "\"a-much-longer-upstream-model-name-2025-01-01\""),
                Arguments.of("needs \"escaping\" \\ here", "\"needs \\\"escaping\\\" \\\\ here\""),
                Arguments.of("mod\u00e8le-\u20ac", "\"mod\u00e8le-\u20ac\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newModels")
    void differentModelReplacesOnlyTheTopLevelModelValue(String upstreamModel, String quoted) {
        ChatRequest request = parse(ODD_BODY);

        String out = text(request.bodyWithModel(upstreamModel));

        assertThat(out).isEqualTo(ODD_BODY.replace("\"model\"  :  \"fast\"", "\"model\"  :  " + quoted));
        assertThat(Json.parseObject(out).getString("model")).isEqualTo(upstreamModel);
    }

    @Test
    void differentModelDropsBytesBeyondTheBodyLength() {
        String body = "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        byte[] bytes = utf8(body + "JUNK");
        ChatRequest request = ChatRequestParser.parse(bytes, bytes.length - 4);

        assertThat(text(request.bodyWithModel("gpt-4o"))).isEqualTo(body.replace("fast", "gpt-4o"));
    }

    @Test
    void modelValueSpelledWithEscapesIsReplacedWhole() {
        ChatRequest request = parse("{\"model\":\"f\\u0061st\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(request.model()).isEqualTo("fast");
        assertThat(text(request.bodyWithModel("gpt-4o")))
                .isEqualTo("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    @Test
    void keySpelledWithEscapesFallsBackToEquivalentJsonWithTheNewModel() {
        String body = "{\"mod\\u0065l\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"caf\u00e9\"}],"
                + "\"temperature\":0.5,\"metadata\":{\"model\":\"nested\"}}";
        ChatRequest request = parse(body);
        assertThat(request.model()).isEqualTo("fast");

        byte[] out = request.bodyWithModel("llama3.1:8b");

        // Strict parsing also proves the model key is not there twice.
        JsonObject json = Json.parseStrictObject(out, out.length);
        assertThat(json.getString("model")).isEqualTo("llama3.1:8b");
        assertThat(json.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("caf\u00e9");
        assertThat(json.getJsonNumber("temperature").doubleValue()).isEqualTo(0.5);
        assertThat(json.getJsonObject("metadata").getString("model")).isEqualTo("nested");
        assertThat(json.keySet()).containsExactlyInAnyOrder("model", "messages", "temperature", "metadata");
    }

    @Test
    void bodyWithModelLeavesTheRequestUnchanged() {
        ChatRequest request = parse(ODD_BODY);

        request.bodyWithModel("other");

        assertThat(request.model()).isEqualTo("fast");
        assertThat(text(request.bodyWithModel("fast"))).isEqualTo(ODD_BODY);
    }
}
