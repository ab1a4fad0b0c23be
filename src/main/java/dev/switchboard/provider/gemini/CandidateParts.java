package dev.switchboard.provider.gemini;

import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;

/**
 * Walks the parts of one Gemini candidate in order and reports what OpenAI can carry
 * (docs/protocols/openai-to-gemini.md A2.1, B5): visible text, thought text ({@code thought: true}) and function
 * calls with their arguments as a JSON string. Parts OpenAI has no field for ({@code inlineData}
 * output, {@code executableCode}, {@code codeExecutionResult}) and empty text (often just the
 * carrier of a signature) are skipped. Stateless.
 */
final class CandidateParts {
    private static final String NO_ARGUMENTS = "{}";

    /** Receives the parts of a candidate, in order. */
    interface Visitor {
        void text(String text);

        void thought(String text);

        /**
         * @param geminiId Gemini's {@code functionCall.id}, or null
         * @param signature the part's {@code thoughtSignature}, or null
         */
        void functionCall(String geminiId, String name, String arguments, String signature);
    }

    private CandidateParts() {
    }

    static void read(JsonObject candidate, Visitor visitor) {
        JsonObject content = JsonFields.object(candidate, "content");
        JsonArray parts = content == null ? null : JsonFields.array(content, "parts");
        if (parts == null) {
            return;
        }
        for (JsonValue value : parts) {
            if (!(value instanceof JsonObject part)) {
                continue;
            }
            JsonObject call = JsonFields.object(part, GeminiNames.FUNCTION_CALL);
            if (call != null) {
                JsonValue args = JsonFields.get(call, "args");
                String name = JsonFields.string(call, "name");
                visitor.functionCall(JsonFields.string(call, "id"), name == null ? "" : name,
                        args == null ? NO_ARGUMENTS : new String(Json.write(args), StandardCharsets.UTF_8),
                        JsonFields.string(part, GeminiNames.THOUGHT_SIGNATURE));
                continue;
            }
            String text = JsonFields.string(part, "text");
            if (text == null || text.isEmpty()) {
                continue;
            }
            if (JsonFields.isTrue(part, "thought")) {
                visitor.thought(text);
            } else {
                visitor.text(text);
            }
        }
    }
}
