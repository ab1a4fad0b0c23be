package dev.switchboard.tracing;

import dev.switchboard.llm.ClientRequest;
import io.opentelemetry.api.trace.SpanBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Reads the sampling parameters the GenAI conventions record ({@code gen_ai.request.max_tokens},
 * {@code gen_ai.request.temperature}) from the client's parsed body, by the field names of its
 * door, without building the internal model. Never content. Stateless.
 */
final class RequestParameters {
    private RequestParameters() {
    }

    static void record(ClientRequest clientRequest, SpanBuilder span) {
        JsonObject json = clientRequest.json();
        if (json == null) {
            return;
        }
        JsonNumber maxTokens = switch (clientRequest.protocol()) {
            // max_completion_tokens replaced max_tokens (docs/protocols/openai-chat.md).
            case CHAT -> number(json, "max_completion_tokens") != null
                    ? number(json, "max_completion_tokens") : number(json, "max_tokens");
            case MESSAGES -> number(json, "max_tokens");
            case RESPONSES -> number(json, "max_output_tokens");
            case EMBEDDINGS -> null;
        };
        if (maxTokens != null) {
            span.setAttribute(GenAi.REQUEST_MAX_TOKENS, maxTokens.longValue());
        }
        JsonNumber temperature = number(json, "temperature");
        if (temperature != null) {
            span.setAttribute(GenAi.REQUEST_TEMPERATURE, temperature.doubleValue());
        }
    }

    private static JsonNumber number(JsonObject json, String name) {
        JsonValue value = json.get(name);
        return value instanceof JsonNumber number ? number : null;
    }
}
