package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.error.GatewayException;
import dev.switchboard.ingress.embeddings.EmbeddingsRequest;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.json.Json;
import dev.switchboard.provider.http.CompletionBody;
import jakarta.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
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
    void tokenIdsAreRefusedNamingTheInput() {
        assertThat(catchThrowableOfType(GatewayException.class, () -> GeminiEmbeddings.request(
                Json.parseObject("{\"model\":\"e\",\"input\":[1,2,3]}"), "e")).error().param()).isEqualTo("input");
    }

    static ClientRequest embeddings(int inputs) {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < inputs; i++) {
            input.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        byte[] body = ("{\"model\":\"e\",\"input\":[" + input + "],\"dimensions\":8}").getBytes(StandardCharsets.UTF_8);
        return EmbeddingsRequest.parse(body, body.length);
    }

    @Test
    void moreInputsThanABatchGoInRunsOfAtMostABatchInOrder() {
        ClientRequest request = embeddings(2 * GeminiEmbeddings.MAX_BATCH + 50);

        List<ClientRequest> parts = GeminiEmbeddings.parts(request);

        assertThat(parts).extracting(part -> part.json().getJsonArray("input").size()).containsExactly(100, 100, 50);
        assertThat(parts.get(1).json().getJsonArray("input").getString(0)).isEqualTo("t100");
        assertThat(parts.get(2).json().getJsonArray("input").getString(49)).isEqualTo("t249");
        assertThat(parts.get(2).json().getInt("dimensions")).isEqualTo(8);
        JsonObject lastBatch = GeminiEmbeddings.request(parts.get(2).json(), "gemini-embedding-001");
        assertThat(lastBatch.getJsonArray("requests")).hasSize(50);
        ClientRequest fits = embeddings(GeminiEmbeddings.MAX_BATCH);
        assertThat(GeminiEmbeddings.parts(fits)).containsExactly(fits);
    }

    @Test
    void answersOfTheBatchesAreJoinedInOrderWithTheirUsageAddedUp() {
        CompletionBody first = GeminiEmbeddings.completion("g", Json.parseObject("{\"model\":\"e\",\"input\":[\"a\",\"b\"]}"),
                "e", "{\"embeddings\":[{\"values\":[0.5]},{\"values\":[1.5]}]}".getBytes(StandardCharsets.UTF_8), 50);
        CompletionBody second = GeminiEmbeddings.completion("g", Json.parseObject("{\"model\":\"e\",\"input\":[\"c\"]}"),
                "e", "{\"embeddings\":[{\"values\":[-2.25]}]}".getBytes(StandardCharsets.UTF_8), 35);

        CompletionBody joined = GeminiEmbeddings.joined("my-embed", List.of(first, second));

        JsonObject list = Json.parseObject(joined.json());
        assertThat(list.getJsonArray("data")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(list.getJsonArray("data").getJsonObject(i).getInt("index")).isEqualTo(i);
        }
        assertThat(list.getJsonArray("data").getJsonObject(2).getJsonArray("embedding").getJsonNumber(0).doubleValue())
                .isEqualTo(-2.25);
        assertThat(list.getString("model")).isEqualTo("my-embed");
        long tokens = first.usage().promptTokens() + second.usage().promptTokens();
        assertThat(joined.usage().promptTokens()).isEqualTo(tokens).isPositive();
        assertThat(list.getJsonObject("usage").getJsonNumber("prompt_tokens").longValue()).isEqualTo(tokens);
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
