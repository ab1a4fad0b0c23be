package dev.switchboard.llm;

import dev.switchboard.json.Json;
import dev.switchboard.json.RawJson;
import jakarta.json.JsonObject;
import java.util.Arrays;

/**
 * A client's body as it arrived, with its parsed tree, and the one edit a relay makes: the model
 * name. Immutable; one per request.
 */
public final class RawBody {
    private final byte[] body;
    private final int length;
    private final JsonObject json;

    public RawBody(byte[] body, int length, JsonObject json) {
        this.body = body;
        this.length = length;
        this.json = json;
    }

    public JsonObject json() {
        return json;
    }

    public int length() {
        return length;
    }

    /**
     * The body exactly as the client sent it, except that the top-level {@code model} is
     * {@code upstreamModel}: key order, number spelling and unknown fields are kept byte for byte.
     */
    public byte[] withModel(String clientModel, String upstreamModel) {
        if (upstreamModel.equals(clientModel)) {
            return length == body.length ? body : Arrays.copyOf(body, length);
        }
        long range = RawJson.findTopLevelString(body, length, "model");
        if (range >= 0) {
            return RawJson.splice(body, length, (int) (range >>> 32), (int) range, RawJson.quote(upstreamModel));
        }
        // The key was spelled with escapes; the tree is equivalent JSON.
        return Json.write(Json.PROVIDER.createObjectBuilder(json).add("model", upstreamModel).build());
    }
}
