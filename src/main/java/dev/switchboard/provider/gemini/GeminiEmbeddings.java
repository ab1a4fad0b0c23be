package dev.switchboard.provider.gemini;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.CompletionBody;
import dev.switchboard.provider.http.UpstreamErrors;
import dev.switchboard.provider.mapping.TokenEstimate;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's {@code /v1/embeddings} served by Gemini's {@code batchEmbedContents}
 * (docs/protocols/embeddings.md §2, §3): one request per input text, in batches of at most
 * {@link #MAX_BATCH} sent one after another and joined in order, {@code dimensions} as
 * {@code outputDimensionality}; the answer in OpenAI's {@code list} shape, in input order, as
 * float arrays or, for {@code encoding_format: base64}, little-endian float32 in base64 (§1.3).
 * Gemini reports no usage, so the prompt tokens are estimated ({@link TokenEstimate}). Token-id
 * inputs are a 400: Gemini takes text only. Stateless.
 */
final class GeminiEmbeddings {
    static final String BATCH = ":batchEmbedContents";
    /** Gemini's limit on requests per batch (§2.4). */
    static final int MAX_BATCH = 100;

    private GeminiEmbeddings() {
    }

    /** The texts of {@code input}, validated by the door as a string or strings (or token ids, refused here). */
    static List<String> texts(JsonObject request) {
        JsonValue input = request.get("input");
        List<String> texts = new ArrayList<>();
        if (input instanceof JsonString text) {
            texts.add(text.getString());
            return texts;
        }
        JsonArray array = (JsonArray) input;
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonString text)) {
                throw ErrorKind.UNSUPPORTED_PARAMETER.exception("input", "Gemini embeds text only; 'input' holds token ids.");
            }
            texts.add(text.getString());
        }
        return texts;
    }

    /**
     * The client's request in runs of at most {@link #MAX_BATCH} inputs, in order, each one
     * {@code batchEmbedContents} request; just the request when it fits in one.
     */
    static List<ClientRequest> parts(ClientRequest request) {
        List<String> texts = texts(request.json());
        if (texts.size() <= MAX_BATCH) {
            return List.of(request);
        }
        JsonArray input = request.json().getJsonArray("input");
        List<ClientRequest> parts = new ArrayList<>();
        for (int from = 0; from < input.size(); from += MAX_BATCH) {
            JsonArrayBuilder run = Json.PROVIDER.createArrayBuilder();
            input.subList(from, Math.min(from + MAX_BATCH, input.size())).forEach(run::add);
            parts.add(new EmbeddingsPart(request, run.build()));
        }
        return parts;
    }

    /**
     * The answers to {@link #parts}, in order, as one: their embeddings numbered on across the
     * parts, their estimated usage added up.
     */
    static CompletionBody joined(String clientModel, List<CompletionBody> answers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        long tokens = 0;
        int index = 0;
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject().write("object", "list").writeStartArray("data");
            for (CompletionBody answer : answers) {
                JsonObject list = Json.parseObject(answer.json());
                for (JsonValue value : list.getJsonArray("data")) {
                    JsonObject embedding = value.asJsonObject();
                    g.writeStartObject().write("object", "embedding").write("index", index++)
                            .write("embedding", embedding.get("embedding")).writeEnd();
                }
                tokens += answer.usage() == null ? 0 : answer.usage().promptTokens();
            }
            g.writeEnd().write("model", clientModel);
            g.writeStartObject("usage").write("prompt_tokens", tokens).write("total_tokens", tokens).writeEnd();
            g.writeEnd();
        }
        return new CompletionBody(out.toByteArray(), new Usage(tokens, 0));
    }

    static JsonObject request(JsonObject request, String upstreamModel) {
        String model = GeminiConnector.MODEL_RESOURCE_PREFIX + GeminiConnector.modelName(upstreamModel);
        JsonNumber dimensions = JsonFields.number(request, "dimensions");
        JsonArrayBuilder requests = Json.PROVIDER.createArrayBuilder();
        for (String text : texts(request)) {
            JsonObjectBuilder one = Json.PROVIDER.createObjectBuilder().add("model", model)
                    .add("content", Json.PROVIDER.createObjectBuilder().add("parts", Json.PROVIDER.createArrayBuilder()
                            .add(Json.PROVIDER.createObjectBuilder().add("text", text))));
            if (dimensions != null) {
                one.add("outputDimensionality", dimensions);
            }
            requests.add(one);
        }
        return Json.PROVIDER.createObjectBuilder().add("requests", requests).build();
    }

    /** @param clientModel the model the client named, which the answer reports (§3.2) */
    static CompletionBody completion(String providerId, JsonObject request, String clientModel, byte[] body, int length) {
        JsonArray embeddings;
        try {
            embeddings = JsonFields.array(Json.parseObject(body, 0, length), "embeddings");
        } catch (RuntimeException e) {
            throw new GatewayException(UpstreamErrors.unreadable(providerId, "an embeddings reply"));
        }
        List<String> texts = texts(request);
        if (embeddings == null || embeddings.size() != texts.size()) {
            throw new GatewayException(UpstreamErrors.unreadable(providerId, "an embeddings reply of the wrong length"));
        }
        boolean base64 = "base64".equals(JsonFields.string(request, "encoding_format"));
        long tokens = 0;
        for (String text : texts) {
            tokens += TokenEstimate.count(text);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject().write("object", "list").writeStartArray("data");
            for (int i = 0; i < embeddings.size(); i++) {
                JsonArray values = JsonFields.array(embeddings.getJsonObject(i), "values");
                if (values == null) {
                    throw new GatewayException(UpstreamErrors.unreadable(providerId, "an embedding without values"));
                }
                g.writeStartObject().write("object", "embedding").write("index", i);
                if (base64) {
                    g.write("embedding", base64(values));
                } else {
                    g.writeStartArray("embedding");
                    for (JsonValue value : values) {
                        g.write(((JsonNumber) value).bigDecimalValue());
                    }
                    g.writeEnd();
                }
                g.writeEnd();
            }
            g.writeEnd().write("model", clientModel);
            g.writeStartObject("usage").write("prompt_tokens", tokens).write("total_tokens", tokens).writeEnd();
            g.writeEnd();
        }
        return new CompletionBody(out.toByteArray(), new Usage(tokens, 0));
    }

    /** Little-endian float32, base64: what OpenAI's SDKs decode (docs/protocols/embeddings.md §1.3). */
    static String base64(JsonArray values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonValue value : values) {
            bytes.putFloat((float) ((JsonNumber) value).doubleValue());
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
