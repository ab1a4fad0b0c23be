package dev.switchboard.chat;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.json.JsonSyntaxException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.JsonValue.ValueType;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates a chat completions body (docs/protocols/openai-chat.md §2–§4). Checks structure and the
 * types of the fields OpenAI defines, and leaves value ranges and unknown fields to the upstream
 * or the translator, so newer clients keep working. The one range checked here is {@code n}'s
 * (see {@link #MAX_N}). Every failure is a 400 naming the field in {@code param}. Stateless.
 */
public final class ChatRequestParser {
    static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /**
     * The largest {@code n}, OpenAI's documented limit. Checked here rather than left to the
     * upstream because the gateway itself builds {@code n} choices (the echo provider, Gemini's
     * answer to a blocked prompt) and reads {@code n} as an int: a huge value would be a huge
     * allocation, and one beyond an int would wrap around. Every connector may rely on
     * {@code 1 <= n <= MAX_N}.
     */
    public static final int MAX_N = 128;

    private enum Kind { NUMBER, INTEGER, STRING, BOOLEAN, OBJECT, ARRAY, STRING_OR_ARRAY, STRING_OR_OBJECT }

    /** Types of the optional top-level fields; JSON null is accepted for each (they are nullable). */
    private static final Map<String, Kind> FIELD_TYPES = Map.ofEntries(
            Map.entry("temperature", Kind.NUMBER),
            Map.entry("top_p", Kind.NUMBER),
            Map.entry("presence_penalty", Kind.NUMBER),
            Map.entry("frequency_penalty", Kind.NUMBER),
            Map.entry("n", Kind.INTEGER),
            Map.entry("max_tokens", Kind.INTEGER),
            Map.entry("max_completion_tokens", Kind.INTEGER),
            Map.entry("seed", Kind.INTEGER),
            Map.entry("top_logprobs", Kind.INTEGER),
            Map.entry("stream", Kind.BOOLEAN),
            Map.entry("logprobs", Kind.BOOLEAN),
            Map.entry("parallel_tool_calls", Kind.BOOLEAN),
            Map.entry("store", Kind.BOOLEAN),
            Map.entry("user", Kind.STRING),
            Map.entry("reasoning_effort", Kind.STRING),
            Map.entry("service_tier", Kind.STRING),
            Map.entry("safety_identifier", Kind.STRING),
            Map.entry("prompt_cache_key", Kind.STRING),
            Map.entry("verbosity", Kind.STRING),
            Map.entry("stop", Kind.STRING_OR_ARRAY),
            Map.entry("tool_choice", Kind.STRING_OR_OBJECT),
            Map.entry("function_call", Kind.STRING_OR_OBJECT),
            Map.entry("tools", Kind.ARRAY),
            Map.entry("functions", Kind.ARRAY),
            Map.entry("modalities", Kind.ARRAY),
            Map.entry("stream_options", Kind.OBJECT),
            Map.entry("response_format", Kind.OBJECT),
            Map.entry("metadata", Kind.OBJECT),
            Map.entry("logit_bias", Kind.OBJECT));

    private ChatRequestParser() {
    }

    public static ChatRequest parse(byte[] body, int length) {
        return parse(body, length, length);
    }

    /**
     * A Chat request translated from another door's request of {@code clientBytes}, against which
     * its own translations are measured (docs/configuration.md, {@code maxTranslationFactor}).
     */
    public static ChatRequest parse(byte[] body, int length, int clientBytes) {
        if (Json.exceedsValues(body, length, Json.MAX_VALUES)) {
            throw ErrorKind.REQUEST_TOO_LARGE.exception("The request body has more than " + Json.MAX_VALUES
                    + " JSON values.");
        }
        JsonObject json;
        try {
            json = Json.parseStrictObject(body, length);
        } catch (JsonSyntaxException e) {
            throw ErrorKind.INVALID_JSON.exception("The request body must be a JSON object: " + e.getMessage() + ".");
        }
        JsonValue model = json.get("model");
        if (model == null || model.getValueType() != ValueType.STRING) {
            throw invalid("model", "'model' must be a string naming a model or alias, but it is "
                    + Json.typeName(model) + ".");
        }
        String modelName = ((jakarta.json.JsonString) model).getString();
        if (modelName.isEmpty()) {
            throw invalid("model", "'model' must not be empty.");
        }
        validateMessages(json.get("messages"));
        for (Map.Entry<String, JsonValue> field : json.entrySet()) {
            Kind kind = FIELD_TYPES.get(field.getKey());
            if (kind != null) {
                checkType(field.getKey(), field.getValue(), kind);
            }
        }
        checkStrings(json.get("stop"), "stop");
        checkObjects(json.get("tools"), "tools");
        checkType("response_format.type", JsonFields.get(JsonFields.object(json, "response_format"), "type"), Kind.STRING);
        JsonValue includeUsage = JsonFields.get(JsonFields.object(json, "stream_options"), "include_usage");
        checkType("stream_options.include_usage", includeUsage, Kind.BOOLEAN);
        checkN(json.get("n"));
        boolean stream = json.get("stream") == JsonValue.TRUE;
        return new ChatRequest(body, length, json, modelName, stream, stream && includeUsage == JsonValue.TRUE,
                clientBytes);
    }

    /** {@code n}, already known to be an integer that fits a long (or absent or null), within 1..{@link #MAX_N}. */
    private static void checkN(JsonValue n) {
        if (!(n instanceof JsonNumber number)) {
            return;
        }
        long value = number.longValue();
        if (value < 1) {
            throw invalid("n", "'n' must be at least 1.");
        }
        if (value > MAX_N) {
            throw invalid("n", "'n' must be at most " + MAX_N + ", but it is " + value + ".");
        }
    }

    private static void validateMessages(JsonValue messages) {
        if (messages == null || messages.getValueType() != ValueType.ARRAY) {
            throw invalid("messages", "'messages' must be a non-empty array of message objects, but it is "
                    + Json.typeName(messages) + ".");
        }
        JsonArray array = messages.asJsonArray();
        if (array.isEmpty()) {
            throw invalid("messages", "'messages' must contain at least one message.");
        }
        for (int i = 0; i < array.size(); i++) {
            validateMessage(array.get(i), i);
        }
    }

    /**
     * One message. Its path ({@code messages[i]}, and the paths under it) is written only for an
     * error: a valid request, the usual one, builds no strings here.
     */
    private static void validateMessage(JsonValue value, int index) {
        if (value.getValueType() != ValueType.OBJECT) {
            String path = messagePath(index);
            throw invalid(path, path + " must be a message object, but it is " + Json.typeName(value) + ".");
        }
        JsonObject message = value.asJsonObject();
        JsonValue role = message.get("role");
        if (role == null || role.getValueType() != ValueType.STRING
                || !ROLES.contains(((jakarta.json.JsonString) role).getString())) {
            String path = messagePath(index);
            throw invalid(path + ".role", path + ".role must be one of system, developer, user, assistant,"
                    + " tool or function.");
        }
        String roleName = ((jakarta.json.JsonString) role).getString();
        JsonValue content = message.get("content");
        boolean contentOptional = roleName.equals("assistant");
        if (content == null || content.getValueType() == ValueType.NULL) {
            if (!contentOptional) {
                String path = messagePath(index);
                throw invalid(path + ".content", path + ".content is required for a " + roleName + " message.");
            }
        } else if (content.getValueType() == ValueType.ARRAY) {
            JsonArray parts = content.asJsonArray();
            for (int p = 0; p < parts.size(); p++) {
                JsonValue part = parts.get(p);
                if (part.getValueType() != ValueType.OBJECT
                        || !(part.asJsonObject().get("type") instanceof jakarta.json.JsonString)) {
                    String partPath = messagePath(index) + ".content[" + p + "]";
                    throw invalid(partPath, partPath + " must be a content part object with a string 'type'.");
                }
                if ("text".equals(part.asJsonObject().getString("type")) && !isPresent(part.asJsonObject().get("text"),
                        Kind.STRING)) {
                    checkRequired(part.asJsonObject(), "text", Kind.STRING, messagePath(index) + ".content[" + p + "]");
                }
            }
        } else if (content.getValueType() != ValueType.STRING) {
            String path = messagePath(index);
            throw invalid(path + ".content", path + ".content must be a string or an array of content parts,"
                    + " but it is " + Json.typeName(content) + ".");
        }
        JsonValue name = message.get("name");
        if (!isAbsentOr(name, Kind.STRING)) {
            checkType(messagePath(index) + ".name", name, Kind.STRING);
        }
        if (roleName.equals("tool") && !isPresent(message.get("tool_call_id"), Kind.STRING)) {
            checkRequired(message, "tool_call_id", Kind.STRING, messagePath(index));
        }
        if (roleName.equals("assistant")) {
            JsonValue toolCalls = message.get("tool_calls");
            if (!isAbsentOr(toolCalls, Kind.ARRAY)) {
                checkType(messagePath(index) + ".tool_calls", toolCalls, Kind.ARRAY);
            }
            if (toolCalls instanceof JsonArray calls) {
                for (int c = 0; c < calls.size(); c++) {
                    validateToolCall(calls.get(c), messagePath(index) + ".tool_calls[" + c + "]");
                }
            }
        }
    }

    private static String messagePath(int index) {
        return "messages[" + index + "]";
    }

    /** Whether {@link #checkType} passes {@code value}: absent, JSON null, or of {@code kind}. */
    private static boolean isAbsentOr(JsonValue value, Kind kind) {
        return value == null || value.getValueType() == ValueType.NULL || hasKind(value, kind);
    }

    /** Whether {@link #checkRequired} passes {@code value}: present, not JSON null, and of {@code kind}. */
    private static boolean isPresent(JsonValue value, Kind kind) {
        return value != null && value.getValueType() != ValueType.NULL && hasKind(value, kind);
    }

    private static void validateToolCall(JsonValue value, String path) {
        if (value.getValueType() != ValueType.OBJECT) {
            throw invalid(path, path + " must be an object.");
        }
        JsonObject call = value.asJsonObject();
        checkType(path + ".id", call.get("id"), Kind.STRING);
        JsonValue function = call.get("function");
        if (function != null && function.getValueType() != ValueType.NULL) {
            checkType(path + ".function", function, Kind.OBJECT);
            checkRequired(function.asJsonObject(), "name", Kind.STRING, path + ".function");
            checkType(path + ".function.arguments", function.asJsonObject().get("arguments"), Kind.STRING);
        }
    }

    private static void checkRequired(JsonObject object, String name, Kind kind, String path) {
        JsonValue value = object.get(name);
        if (value == null || value.getValueType() == ValueType.NULL) {
            throw invalid(path + "." + name, path + "." + name + " is required.");
        }
        checkType(path + "." + name, value, kind);
    }

    private static void checkStrings(JsonValue value, String path) {
        if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                checkType(path + "[" + i + "]", array.get(i), Kind.STRING);
            }
        }
    }

    private static void checkObjects(JsonValue value, String path) {
        if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).getValueType() != ValueType.OBJECT) {
                    throw invalid(path + "[" + i + "]", path + "[" + i + "] must be an object.");
                }
            }
        }
    }

    private static void checkType(String path, JsonValue value, Kind kind) {
        if (value == null || value.getValueType() == ValueType.NULL) {
            return;
        }
        if (!hasKind(value, kind)) {
            throw invalid(path, "'" + path + "' must be " + describe(kind) + ", but it is " + Json.typeName(value) + ".");
        }
    }

    /** Whether {@code value}, not JSON null, is of {@code kind}. */
    private static boolean hasKind(JsonValue value, Kind kind) {
        ValueType type = value.getValueType();
        return switch (kind) {
            case NUMBER -> type == ValueType.NUMBER;
            case INTEGER -> type == ValueType.NUMBER && ((JsonNumber) value).isIntegral()
                    && fitsLong((JsonNumber) value);
            case STRING -> type == ValueType.STRING;
            case BOOLEAN -> type == ValueType.TRUE || type == ValueType.FALSE;
            case OBJECT -> type == ValueType.OBJECT;
            case ARRAY -> type == ValueType.ARRAY;
            case STRING_OR_ARRAY -> type == ValueType.STRING || type == ValueType.ARRAY;
            case STRING_OR_OBJECT -> type == ValueType.STRING || type == ValueType.OBJECT;
        };
    }

    private static boolean fitsLong(JsonNumber number) {
        java.math.BigDecimal decimal = number.bigDecimalValue();
        // Checked on digits first: converting 1e100000 exactly would cost far more than it is worth.
        if (decimal.precision() - decimal.scale() > 19) {
            return false;
        }
        try {
            decimal.longValueExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case NUMBER -> "a number";
            case INTEGER -> "an integer";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING_OR_ARRAY -> "a string or an array";
            case STRING_OR_OBJECT -> "a string or an object";
        };
    }

    private static GatewayException invalid(String param, String message) {
        return ErrorKind.INVALID_REQUEST.exception(param, message);
    }
}
