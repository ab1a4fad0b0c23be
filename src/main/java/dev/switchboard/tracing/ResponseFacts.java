package dev.switchboard.tracing;

import dev.switchboard.json.Bytes;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Protocol;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What an attempt's reply says about itself ({@code gen_ai.response.id}, {@code .model},
 * {@code .finish_reasons}), read from the reply as the client's door spells it (the provider's own
 * words for a relay, the door's mapping of them for a translation: docs/operations.md#tracing).
 * Per attempt; fed from the attempt's thread only (a reply's chunks never arrive concurrently).
 *
 * <p>A stream is parsed only at the chunks that can carry a fact, found by a byte search: most
 * chunks of a long stream are skipped without parsing.
 */
final class ResponseFacts {
    private static final byte[] FINISH_KEY = "\"finish_reason\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final Protocol protocol;
    String id;
    String model;
    final List<String> finishReasons = new ArrayList<>();

    ResponseFacts(Protocol protocol) {
        this.protocol = protocol;
    }

    /** A whole reply, already parsed. */
    void completion(JsonObject json) {
        id = JsonFields.string(json, "id");
        model = JsonFields.string(json, "model");
        switch (protocol) {
            case CHAT -> choices(JsonFields.array(json, "choices"));
            case MESSAGES -> add(JsonFields.string(json, "stop_reason"));
            case RESPONSES -> add(JsonFields.string(json, "status"));
            case EMBEDDINGS -> id = null;
        }
    }

    /**
     * One event of a stream in the door's format. {@code parsed} is the event's JSON when the caller
     * has it already, else null, and it is parsed here only when it can hold a fact.
     */
    void chunk(SseEvent event, JsonObject parsed) {
        byte[] data = event.data();
        switch (protocol) {
            case CHAT -> {
                // Every chunk repeats id and model; finish_reason is non-null only on the last ones.
                if (id == null && model == null || hasNonNull(data, FINISH_KEY)) {
                    JsonObject json = parsed != null ? parsed : parse(data);
                    if (json != null) {
                        if (id == null && model == null) {
                            id = JsonFields.string(json, "id");
                            model = JsonFields.string(json, "model");
                        }
                        choices(JsonFields.array(json, "choices"));
                    }
                }
            }
            case MESSAGES -> {
                String type = event.type();
                if ("message_start".equals(type)) {
                    JsonObject message = JsonFields.object(parsed != null ? parsed : parse(data), "message");
                    id = JsonFields.string(message, "id");
                    model = JsonFields.string(message, "model");
                } else if ("message_delta".equals(type)) {
                    add(JsonFields.string(JsonFields.object(parsed != null ? parsed : parse(data), "delta"), "stop_reason"));
                }
            }
            case RESPONSES -> {
                String type = event.type();
                if (type != null && (type.equals("response.created") || type.equals("response.completed")
                        || type.equals("response.incomplete") || type.equals("response.failed"))) {
                    JsonObject response = JsonFields.object(parsed != null ? parsed : parse(data), "response");
                    id = JsonFields.string(response, "id");
                    model = JsonFields.string(response, "model");
                    if (!type.equals("response.created")) {
                        add(JsonFields.string(response, "status"));
                    }
                }
            }
            case EMBEDDINGS -> {
            }
        }
    }

    private void choices(JsonArray choices) {
        if (choices == null) {
            return;
        }
        for (JsonValue choice : choices) {
            if (choice instanceof JsonObject object) {
                add(JsonFields.string(object, "finish_reason"));
            }
        }
    }

    private void add(String reason) {
        if (reason != null) {
            finishReasons.add(reason);
        }
    }

    /** The event's JSON object, or null when it is not one (a reply we cannot read has no facts). */
    static JsonObject parse(byte[] data) {
        try {
            return Json.parseObject(data);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean hasNonNull(byte[] json, byte[] key) {
        for (int v = Bytes.nextMemberValue(json, 0, key); v >= 0; v = Bytes.nextMemberValue(json, v, key)) {
            if (!Bytes.regionMatches(json, v, NULL)) {
                return true;
            }
        }
        return false;
    }
}
