package dev.switchboard.ingress.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.error.GatewayException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The embeddings door's validation (docs/protocols/embeddings.md §1.1, §1.4). */
class EmbeddingsRequestTest {
    static EmbeddingsRequest parse(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return EmbeddingsRequest.parse(bytes, bytes.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"hello\"", "[\"a\",\"b\"]", "[1,2,3]", "[[1,2],[3]]"})
    void everyInputFormIsAccepted(String input) {
        assertThat(parse("{\"model\":\"e\",\"input\":" + input + ",\"encoding_format\":\"base64\",\"dimensions\":8}").model())
                .isEqualTo("e");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"e\"}|input",
            "{\"model\":\"e\",\"input\":\"\"}|input",
            "{\"model\":\"e\",\"input\":[]}|input",
            "{\"model\":\"e\",\"input\":[\"a\",\"\"]}|input[1]",
            "{\"model\":\"e\",\"input\":[\"a\",null]}|input[1]",
            "{\"model\":\"e\",\"input\":[[1,\"x\"]]}|input[0][1]",
            "{\"model\":\"e\",\"input\":\"a\",\"dimensions\":-3}|dimensions",
            "{\"model\":\"e\",\"input\":\"a\",\"encoding_format\":\"int8\"}|encoding_format",
            "{\"input\":\"a\"}|model"})
    void badInputIsA400NamingTheField(String body, String param) {
        GatewayException refused = catchThrowableOfType(GatewayException.class, () -> parse(body));
        assertThat(refused.error().status()).isEqualTo(400);
        assertThat(refused.error().param()).isEqualTo(param);
    }
}
