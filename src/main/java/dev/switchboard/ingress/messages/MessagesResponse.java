package dev.switchboard.ingress.messages;

import dev.switchboard.json.Json;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.Usage;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;

/**
 * A whole reply as Anthropic's {@code message} (docs/protocols/anthropic-messages-ingress.md
 * §4.1), and the pieces its stream shares: the stop reason and the usage, whose
 * {@code input_tokens} excludes cache reads and writes, as Anthropic counts them. Stateless.
 */
final class MessagesResponse {
    /** Anthropic's prefix of message ids, given to ids from other providers. */
    static final String ID_PREFIX = "msg_";

    private MessagesResponse() {
    }

    static byte[] write(LlmResponse response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject().write("id", messageId(response.id())).write("type", "message")
                    .write("role", "assistant").write("model", response.model());
            g.writeStartArray("content");
            for (Content block : response.content()) {
                if (block instanceof Content.Text text) {
                    g.writeStartObject().write("type", "text").write("text", text.text()).writeEnd();
                } else if (block instanceof Content.Reasoning reasoning && reasoning.text() != null) {
                    g.writeStartObject().write("type", "thinking").write("thinking", reasoning.text())
                            .write("signature", "anthropic".equals(reasoning.origin()) && reasoning.signature() != null
                                    ? reasoning.signature() : "")
                            .writeEnd();
                } else if (block instanceof Content.FunctionCall call) {
                    g.writeStartObject().write("type", "tool_use").write("id", call.id()).write("name", call.name())
                            .write("input", input(call.arguments())).writeEnd();
                }
            }
            g.writeEnd();
            g.write("stop_reason", stopReason(response.finish())).writeNull("stop_sequence");
            writeUsage(g, response.usage() == null ? Usage.NONE : response.usage());
            g.writeEnd();
        }
        return out.toByteArray();
    }

    /** A tool call's arguments as the object Anthropic's {@code input} is; {} when they are not one. */
    private static JsonValue input(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (var reader = Json.PROVIDER.createReader(new StringReader(arguments))) {
            JsonValue value = reader.readValue();
            return value.getValueType() == JsonValue.ValueType.OBJECT ? value : JsonValue.EMPTY_JSON_OBJECT;
        } catch (RuntimeException e) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
    }

    static String messageId(String id) {
        return id != null && id.startsWith(ID_PREFIX) ? id : ID_PREFIX + (id == null ? "" : id);
    }

    /** Anthropic's {@code stop_reason} (§4.1); a reply that never said why ended its turn. */
    static String stopReason(FinishReason reason) {
        return switch (reason == null ? FinishReason.STOP : reason) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    /**
     * Anthropic's {@code usage}: {@code input_tokens} without the cache reads and writes, which it
     * reports apart (docs/protocols/anthropic-messages-ingress.md §7).
     */
    static void writeUsage(JsonGenerator g, Usage usage) {
        g.writeStartObject("usage")
                .write("input_tokens", usage.uncachedPromptTokens())
                .write("cache_creation_input_tokens", usage.cacheWriteTokens())
                .write("cache_read_input_tokens", usage.cachedTokens())
                .write("output_tokens", usage.completionTokens())
                .writeEnd();
    }
}
