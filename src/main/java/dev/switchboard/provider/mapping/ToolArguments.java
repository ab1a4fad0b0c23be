package dev.switchboard.provider.mapping;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonSyntaxException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The {@code arguments} of a tool call in the client's history: OpenAI sends a JSON string
 * holding an object (docs/protocols/openai-chat.md §3.3), and both Anthropic's {@code tool_use.input} and
 * Gemini's {@code functionCall.args} want the object itself. Shared and stateless.
 */
public final class ToolArguments {
    private ToolArguments() {
    }

    /**
     * The parsed arguments. Absent, null or blank means no arguments, {@code {}} (Portkey's rule,
     * docs/protocols/openai-to-anthropic.md §2.4); anything that is not a string holding a JSON object is the
     * client's error, reported rather than guessed at.
     *
     * @param path the field, named in the 400, e.g. {@code messages[1].tool_calls[0].function.arguments}
     */
    public static JsonObject parse(JsonValue arguments, String path) {
        if (arguments == null || arguments.getValueType() == JsonValue.ValueType.NULL) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (!(arguments instanceof JsonString string)) {
            throw ErrorKind.INVALID_REQUEST.exception(path, path + " must be a string holding a JSON object, not "
                    + Json.typeName(arguments) + ".");
        }
        if (string.getString().isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try {
            return Json.parseObject(string.getString());
        } catch (JsonSyntaxException e) {
            throw ErrorKind.INVALID_REQUEST.exception(path, path + " must be a string holding a JSON object: "
                    + e.getMessage() + ".");
        }
    }
}
