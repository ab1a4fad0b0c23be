package dev.switchboard.provider.gemini;

import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Builds the {@code functionCall} and {@code functionResponse} parts of a Gemini conversation
 * (docs/protocols/openai-to-gemini.md A2.1, B2.3). Stateless.
 *
 * <p>A tool result that is a JSON object is sent as the response itself; anything else (text, a
 * JSON array or number) is wrapped as {@code {"output": text}}, because Gemini's
 * {@code functionResponse.response} must be an object and {@code output} is the SDK-documented
 * key (A2.1). A result the client marks as an error (Messages' {@code is_error}) is
 * {@code {"error": text}}, the SDK's key for a failure (A2.1).
 */
final class FunctionParts {
    /** The SDK-documented key for a tool result that is not itself a JSON object (A2.1). */
    static final String OUTPUT_KEY = "output";
    /** The key of a failed call's details in {@code functionResponse.response} (A2.1). */
    static final String ERROR_KEY = "error";

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

    static JsonObject functionResponse(String name, String geminiId, String text, boolean error) {
        JsonObjectBuilder response = Json.PROVIDER.createObjectBuilder();
        if (geminiId != null) {
            response.add("id", geminiId);
        }
        response.add("name", name).add("response", error
                ? Json.PROVIDER.createObjectBuilder().add(ERROR_KEY, text).build() : responseObject(text));
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
