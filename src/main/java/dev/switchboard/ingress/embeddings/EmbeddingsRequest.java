package dev.switchboard.ingress.embeddings;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.llm.BodyCheck;
import dev.switchboard.llm.BodyCheck.Kind;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Protocol;
import dev.switchboard.llm.RawBody;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A client's {@code POST /v1/embeddings} body after validation (docs/protocols/embeddings.md
 * §1.1, §1.4): {@code input} a non-empty string, or an array of 1 to {@link #MAX_INPUTS}
 * non-empty strings, or token ids (an array of integers, or an array of such arrays);
 * {@code dimensions} a positive integer; {@code encoding_format} {@code float} or {@code base64};
 * {@code user} a string. An OpenAI-type provider gets the bytes unchanged but for the model; others
 * read the tree. Immutable; one per request.
 */
public final class EmbeddingsRequest implements ClientRequest {
    /** OpenAI's limit on inputs per request (§1.1). */
    public static final int MAX_INPUTS = 2048;
    /** The encoding when the client names none (§1.3). */
    public static final String DEFAULT_ENCODING = "float";

    private final RawBody body;
    private final String model;

    private EmbeddingsRequest(RawBody body, String model) {
        this.body = body;
        this.model = model;
    }

    /** @throws dev.switchboard.error.GatewayException (400) naming the field at fault */
    public static EmbeddingsRequest parse(byte[] bytes, int length) {
        JsonObject json = BodyCheck.object(bytes, length);
        String model = BodyCheck.model(json);
        input(json.get("input"));
        BodyCheck.type("dimensions", json.get("dimensions"), Kind.INTEGER);
        if (json.get("dimensions") instanceof JsonNumber dimensions && dimensions.longValue() < 1) {
            throw BodyCheck.invalid("dimensions", "'dimensions' must be at least 1.");
        }
        BodyCheck.type("encoding_format", json.get("encoding_format"), Kind.STRING);
        if (json.get("encoding_format") instanceof JsonString format
                && !format.getString().equals("float") && !format.getString().equals("base64")) {
            throw BodyCheck.invalid("encoding_format", "'encoding_format' must be float or base64, not '"
                    + format.getString() + "'.");
        }
        BodyCheck.type("user", json.get("user"), Kind.STRING);
        return new EmbeddingsRequest(new RawBody(bytes, length, json), model);
    }

    private static void input(JsonValue input) {
        if (input instanceof JsonString text) {
            nonEmpty(text, "input");
            return;
        }
        if (!(input instanceof JsonArray array)) {
            throw BodyCheck.invalid("input", "'input' must be a string, an array of strings or an array of token ids,"
                    + " but it is " + Json.typeName(input) + ".");
        }
        if (array.isEmpty() || array.size() > MAX_INPUTS) {
            throw BodyCheck.invalid("input", "'input' must hold 1 to " + MAX_INPUTS + " items, but it holds "
                    + array.size() + ".");
        }
        if (array.get(0) instanceof JsonNumber) {
            tokens(array, "input");
            return;
        }
        for (int i = 0; i < array.size(); i++) {
            String path = "input[" + i + "]";
            JsonValue item = array.get(i);
            if (item instanceof JsonString text) {
                nonEmpty(text, path);
            } else if (item instanceof JsonArray ids && !ids.isEmpty()) {
                tokens(ids, path);
            } else {
                throw BodyCheck.invalid(path, "'" + path + "' must be a non-empty string or an array of token ids.");
            }
        }
    }

    private static void nonEmpty(JsonString text, String path) {
        if (text.getString().isEmpty()) {
            throw BodyCheck.invalid(path, "'" + path + "' must not be empty.");
        }
    }

    private static void tokens(JsonArray ids, String path) {
        for (int i = 0; i < ids.size(); i++) {
            BodyCheck.type(path + "[" + i + "]", ids.get(i), Kind.INTEGER);
            if (ids.get(i).getValueType() == JsonValue.ValueType.NULL) {
                throw BodyCheck.invalid(path + "[" + i + "]", "'" + path + "[" + i + "]' must be a token id.");
            }
        }
    }

    @Override
    public Protocol protocol() {
        return Protocol.EMBEDDINGS;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return false;
    }

    @Override
    public JsonObject json() {
        return body.json();
    }

    @Override
    public int bodyLength() {
        return body.length();
    }

    @Override
    public byte[] bodyWithModel(String upstreamModel) {
        return body.withModel(model, upstreamModel);
    }

    /** An embeddings request is never a conversation: a connector without embeddings refuses it. */
    @Override
    public LlmRequest llmRequest() {
        throw ErrorKind.INVALID_REQUEST.exception("model", "The model '" + model + "' cannot embed text.");
    }

    @Override
    public ClientFormat format() {
        return EmbeddingsFormat.INSTANCE;
    }
}
