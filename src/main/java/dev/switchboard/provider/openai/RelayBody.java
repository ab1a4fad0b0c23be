package dev.switchboard.provider.openai;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.json.Json;
import dev.switchboard.provider.mapping.SignedToolCallIds;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;

/**
 * The body the OpenAI-compatible connector sends: the client's bytes with only {@code model}
 * replaced ({@link ChatRequest#bodyWithModel}), except when the history holds tool-call ids with a
 * Gemini thought signature ({@link SignedToolCallIds}), which an OpenAI upstream rejects as longer
 * than 40 characters. Those ids, in assistant {@code tool_calls[].id} and in tool messages'
 * {@code tool_call_id}, are replaced by their short form, consistently, so calls and results still
 * pair up. A stream whose client did not ask for {@code stream_options.include_usage} asks for it
 * all the same, so that every stream is accounted (docs/spend.md, "Streams"); the relay then keeps
 * the usage-only chunk from the client ({@link OpenAiStreamRelay}). Stateless.
 *
 * <p>This is the relay's hot path, so the usual body costs one byte search for the marker and,
 * for a stream without {@code stream_options}, one splice. Only a body that contains the marker
 * (or {@code stream_options} without {@code include_usage}) is rebuilt from the parsed tree, which
 * is equivalent JSON (key order kept, number spelling possibly not); a marker that appears only in
 * message text leaves the bytes untouched.
 */
final class RelayBody {
    private static final String STREAM_OPTIONS = "stream_options";
    /** The member that asks for the usage chunk (docs/protocols/openai-chat.md §6.3). */
    private static final byte[] USAGE_OPTION = "\"stream_options\":{\"include_usage\":true},"
            .getBytes(StandardCharsets.US_ASCII);

    private RelayBody() {
    }

    /**
     * @param budget the request's; only a rebuilt body can differ from the client's by more than
     *     the model name, and it is written within the budget
     */
    static byte[] of(ChatRequest request, String upstreamModel, TranslationBudget budget) {
        byte[] body = request.bodyWithModel(upstreamModel);
        boolean askUsage = request.stream() && !request.includeUsage();
        JsonArray rewritten = SignedToolCallIds.mayAppearIn(body, body.length)
                ? rewrite(request.json().getJsonArray("messages")) : null;
        if (rewritten == null && !askUsage) {
            return body;
        }
        if (rewritten == null && !request.json().containsKey(STREAM_OPTIONS)) {
            return withUsageOption(body);
        }
        JsonObjectBuilder upstream = Json.PROVIDER.createObjectBuilder(request.json()).add("model", upstreamModel);
        if (rewritten != null) {
            upstream.add("messages", rewritten);
        }
        if (askUsage) {
            JsonObjectBuilder options = request.json().get(STREAM_OPTIONS) instanceof JsonObject given
                    ? Json.PROVIDER.createObjectBuilder(given) : Json.PROVIDER.createObjectBuilder();
            upstream.add(STREAM_OPTIONS, options.add("include_usage", true));
        }
        return budget.write(upstream.build());
    }

    /**
     * {@code body}, a JSON object without {@code stream_options}, with
     * {@code "stream_options":{"include_usage":true}} as its first member: the rest byte for byte.
     */
    static byte[] withUsageOption(byte[] body) {
        int open = 0;
        while (body[open] != '{') {
            open++;
        }
        byte[] out = new byte[body.length + USAGE_OPTION.length];
        System.arraycopy(body, 0, out, 0, open + 1);
        System.arraycopy(USAGE_OPTION, 0, out, open + 1, USAGE_OPTION.length);
        System.arraycopy(body, open + 1, out, open + 1 + USAGE_OPTION.length, body.length - open - 1);
        return out;
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
