package dev.switchboard.provider.openai;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.json.Json;
import dev.switchboard.provider.mapping.SignedToolCallIds;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The body the OpenAI-compatible connector sends: the client's bytes with only {@code model}
 * replaced ({@link ChatRequest#bodyWithModel}), except when the history holds tool-call ids with a
 * Gemini thought signature ({@link SignedToolCallIds}), which an OpenAI upstream rejects as longer
 * than 40 characters. Those ids, in assistant {@code tool_calls[].id} and in tool messages'
 * {@code tool_call_id}, are replaced by their short form, consistently, so calls and results still
 * pair up. Stateless.
 *
 * <p>This is the relay's hot path, so the usual body costs one byte search for the marker and
 * nothing else. Only a body that contains it is rebuilt from the parsed tree, which is equivalent
 * JSON (key order kept, number spelling possibly not); a marker that appears only in message text
 * leaves the bytes untouched.
 */
final class RelayBody {
    private RelayBody() {
    }

    /**
     * @param budget the request's; only a rebuilt body can differ from the client's by more than
     *     the model name, and it is written within the budget
     */
    static byte[] of(ChatRequest request, String upstreamModel, TranslationBudget budget) {
        byte[] body = request.bodyWithModel(upstreamModel);
        if (!SignedToolCallIds.mayAppearIn(body, body.length)) {
            return body;
        }
        JsonArray messages = request.json().getJsonArray("messages");
        JsonArray rewritten = rewrite(messages);
        if (rewritten == null) {
            return body;
        }
        return budget.write(Json.PROVIDER.createObjectBuilder(request.json()).add("model", upstreamModel)
                .add("messages", rewritten).build());
    }

    /** The messages with every signed id shortened, or null when none holds one. */
    static JsonArray rewrite(JsonArray messages) {
        JsonArrayBuilder out = Json.PROVIDER.createArrayBuilder();
        boolean changed = false;
        for (JsonValue value : messages) {
            JsonValue message = value instanceof JsonObject object ? message(object) : value;
            changed |= message != value;
            out.add(message);
        }
        return changed ? out.build() : null;
    }

    /** The message with its signed ids shortened; the same instance when it holds none. */
    private static JsonObject message(JsonObject message) {
        JsonObject result = message;
        if (message.get("tool_call_id") instanceof JsonString id && SignedToolCallIds.isSigned(id.getString())) {
            result = Json.PROVIDER.createObjectBuilder(result)
                    .add("tool_call_id", SignedToolCallIds.shorten(id.getString())).build();
        }
        if (message.get("tool_calls") instanceof JsonArray calls) {
            JsonArray shortened = toolCalls(calls);
            if (shortened != null) {
                result = Json.PROVIDER.createObjectBuilder(result).add("tool_calls", shortened).build();
            }
        }
        return result;
    }

    private static JsonArray toolCalls(JsonArray calls) {
        JsonArrayBuilder out = Json.PROVIDER.createArrayBuilder();
        boolean changed = false;
        for (JsonValue value : calls) {
            if (value instanceof JsonObject call && call.get("id") instanceof JsonString id
                    && SignedToolCallIds.isSigned(id.getString())) {
                out.add(Json.PROVIDER.createObjectBuilder(call).add("id", SignedToolCallIds.shorten(id.getString())));
                changed = true;
            } else {
                out.add(value);
            }
        }
        return changed ? out.build() : null;
    }
}
