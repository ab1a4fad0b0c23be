package dev.switchboard.provider.gemini;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Builds the {@code functionCall} and {@code functionResponse} parts of a Gemini conversation
 * (openai-to-gemini.md A2.1, B2.3). Stateless.
 *
 * <p>A tool result that is a JSON object is sent as the response itself; anything else (text, a
 * JSON array or number) is wrapped as {@code {"output": text}}, because Gemini's
 * {@code functionResponse.response} must be an object and {@code output} is the SDK-documented
 * key (A2.1).
 */
final class FunctionParts {
    /** The SDK-documented key for a tool result that is not itself a JSON object (A2.1). */
    static final String OUTPUT_KEY = "output";

    private FunctionParts() {
    }

    static JsonObject functionCall(String name, JsonObject args, String geminiId, String signature) {
        JsonObjectBuilder call = Json.PROVIDER.createObjectBuilder();
        if (geminiId != null) {
            call.add("id", geminiId);
        }
        call.add("name", name).add("args", args);
        JsonObjectBuilder part = Json.PROVIDER.createObjectBuilder().add("functionCall", call);
        if (signature != null) {
            // The signature sits on the part, beside functionCall, exactly where Gemini put it (A2.2).
            part.add("thoughtSignature", signature);
        }
        return part.build();
    }

    /** A tool call's arguments: a JSON string holding an object; empty means no arguments. */
    static JsonObject arguments(JsonValue arguments, String path) {
        if (arguments == null || arguments.getValueType() == JsonValue.ValueType.NULL) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (!(arguments instanceof JsonString string)) {
            throw ErrorKind.INVALID_REQUEST.exception(path, path + " must be a JSON object encoded as a string.");
        }
        String text = string.getString();
        if (text.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try {
            return Json.parseObject(text);
        } catch (RuntimeException e) {
            throw ErrorKind.INVALID_REQUEST.exception(path, path + " must be a JSON object encoded as a string: "
                    + e.getMessage() + ".");
        }
    }

    static JsonObject functionResponse(String name, String geminiId, String text) {
        JsonObjectBuilder response = Json.PROVIDER.createObjectBuilder();
        if (geminiId != null) {
            response.add("id", geminiId);
        }
        response.add("name", name).add("response", responseObject(text));
        return Json.PROVIDER.createObjectBuilder().add("functionResponse", response).build();
    }

    /** Gemini's {@code functionResponse.response} must be an object (A2.1). */
    static JsonObject responseObject(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("{")) {
            try {
                return Json.parseObject(trimmed);
            } catch (RuntimeException e) {
                // Not an object after all: send it as text.
            }
        }
        return Json.PROVIDER.createObjectBuilder().add(OUTPUT_KEY, text).build();
    }
}
