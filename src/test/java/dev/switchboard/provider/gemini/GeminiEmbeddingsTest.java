package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.provider.http.CompletionBody;
import jakarta.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** OpenAI's embeddings as Gemini's batchEmbedContents, and back (docs/protocols/embeddings.md §3). */
class GeminiEmbeddingsTest {
    @Test
    void eachInputIsOneRequestWithTheDimensions() {
        JsonObject body = GeminiEmbeddings.request(Json.parseObject(
                "{\"model\":\"e\",\"input\":[\"a\",\"b\"],\"dimensions\":256}"), "models/gemini-embedding-001");
        assertThat(body.getJsonArray("requests")).hasSize(2);
        JsonObject second = body.getJsonArray("requests").getJsonObject(1);
        assertThat(second.getString("model")).isEqualTo("models/gemini-embedding-001");
        assertThat(second.getJsonObject("content").getJsonArray("parts").getJsonObject(0).getString("text")).isEqualTo("b");
        assertThat(second.getInt("outputDimensionality")).isEqualTo(256);
    }

    @Test
    void tokenIdsAndMoreThanABatchAreRefusedNamingTheInput() {
        assertThat(catchThrowableOfType(GatewayException.class, () -> GeminiEmbeddings.request(
                Json.parseObject("{\"model\":\"e\",\"input\":[1,2,3]}"), "e")).error().param()).isEqualTo("input");
        String many = "\"x\",".repeat(GeminiEmbeddings.MAX_BATCH) + "\"x\"";
        assertThat(catchThrowableOfType(GatewayException.class, () -> GeminiEmbeddings.request(
                Json.parseObject("{\"model\":\"e\",\"input\":[" + many + "]}"), "e")).error().message()).contains("100");
    }

    @Test
    void theAnswerIsOpenAisListInFloatsOrLittleEndianBase64() {
        byte[] reply = "{\"embeddings\":[{\"values\":[0.5,-2.0]}]}".getBytes(StandardCharsets.UTF_8);
        CompletionBody floats = GeminiEmbeddings.completion("g", Json.parseObject("{\"model\":\"e\",\"input\":\"hello world\"}"),
                "e", reply, reply.length);
        JsonObject list = Json.parseObject(floats.json());
        assertThat(list.getString("object")).isEqualTo("list");
        assertThat(list.getString("model")).isEqualTo("e");
        assertThat(list.getJsonArray("data").getJsonObject(0).getJsonArray("embedding").getJsonNumber(1).doubleValue())
                .isEqualTo(-2.0);
        assertThat(floats.usage().promptTokens()).isEqualTo(2);

        CompletionBody base64 = GeminiEmbeddings.completion("g", Json.parseObject(
                "{\"model\":\"e\",\"input\":\"x\",\"encoding_format\":\"base64\"}"), "e", reply, reply.length);
        String encoded = Json.parseObject(base64.json()).getJsonArray("data").getJsonObject(0).getString("embedding");
        ByteBuffer floatsBack = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(floatsBack.getFloat()).isEqualTo(0.5f);
        assertThat(floatsBack.getFloat()).isEqualTo(-2.0f);
    }
}
