package dev.switchboard.tracing;

import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.Protocol;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Prompt and completion content in the GenAI conventions' message form ({@code {role, parts:[{type:
 * "text", content} | {type:"tool_call", id, name, arguments} | {type:"tool_call_response", id,
 * response} | {type}], finish_reason}}), read from the client's door format, for the opt-in
 * content event (docs/operations.md#tracing). Each attribute is bounded: text is cut once its
 * {@link #LIMIT_CHARS} are spent, and a part of any other kind (an image, a file) keeps only its
 * type, so no base64 payload reaches a trace. Only message content is read: headers, and so
 * credentials, never are. Stateless.
 */
final class MessageContent {
    /** Characters of text (content, tool arguments and results) one attribute may hold. */
    static final int LIMIT_CHARS = 16 * 1024;

    private MessageContent() {
    }

    /** The text still allowed in one attribute. Per attribute. */
    static final class Budget {
        private int left;

        Budget(int chars) {
            left = chars;
        }

        /** {@code text}, cut to what is left of the budget, which it spends. */
        String take(String text) {
            if (text.length() <= left) {
                left -= text.length();
                return text;
            }
            String cut = text.substring(0, left);
            left = 0;
            return cut;
        }

        boolean spent() {
            return left <= 0;
        }
    }

    /** {@code gen_ai.system_instructions} of the request: its parts as a JSON array, or null. */
    static String systemInstructions(ClientRequest clientRequest) {
        JsonObject json = clientRequest.json();
        if (json == null) {
            return null;
        }
        JsonValue system = switch (clientRequest.protocol()) {
            case MESSAGES -> JsonFields.get(json, "system");
            case RESPONSES -> JsonFields.get(json, "instructions");
            default -> null;
        };
        if (system == null) {
            return null;
        }
        JsonArrayBuilder parts = Json.PROVIDER.createArrayBuilder();
        addParts(parts, system, new Budget(LIMIT_CHARS));
        return write(parts.build());
    }

    /** {@code gen_ai.input.messages} of the request, or null for a door without messages. */
    static String inputMessages(ClientRequest clientRequest) {
        JsonObject json = clientRequest.json();
        if (json == null) {
            return null;
        }
        Budget budget = new Budget(LIMIT_CHARS);
        JsonArrayBuilder messages = Json.PROVIDER.createArrayBuilder();
        switch (clientRequest.protocol()) {
            case CHAT, MESSAGES -> {
                JsonArray list = JsonFields.array(json, "messages");
                if (list != null) {
                    for (JsonValue value : list) {
                        if (value instanceof JsonObject message && !budget.spent()) {
                            messages.add(message(message, budget));
                        }
                    }
                }
            }
            case RESPONSES -> {
                JsonValue input = JsonFields.get(json, "input");
                if (input instanceof JsonString text) {
                    messages.add(message("user", parts(text, budget), null));
                } else if (input instanceof JsonArray items) {
                    for (JsonValue item : items) {
                        if (item instanceof JsonObject object && !budget.spent()) {
                            messages.add(responsesItem(object, budget));
                        }
                    }
                }
            }
            case EMBEDDINGS -> {
                return null;
            }
        }
        return write(messages.build());
    }

    /** {@code gen_ai.output.messages} of a whole reply in the door's format. */
    static String outputMessages(Protocol protocol, JsonObject reply) {
        Budget budget = new Budget(LIMIT_CHARS);
        JsonArrayBuilder messages = Json.PROVIDER.createArrayBuilder();
        switch (protocol) {
            case CHAT -> {
                JsonArray choices = JsonFields.array(reply, "choices");
                if (choices != null) {
                    for (JsonValue value : choices) {
                        if (value instanceof JsonObject choice) {
                            JsonObject message = JsonFields.object(choice, "message");
                            JsonArrayBuilder parts = message == null ? Json.PROVIDER.createArrayBuilder()
                                    : chatParts(message, budget);
                            messages.add(message("assistant", parts, JsonFields.string(choice, "finish_reason")));
                        }
                    }
                }
            }
            case MESSAGES -> {
                JsonArrayBuilder parts = Json.PROVIDER.createArrayBuilder();
                JsonValue content = JsonFields.get(reply, "content");
                if (content != null) {
                    addParts(parts, content, budget);
                }
                messages.add(message("assistant", parts, JsonFields.string(reply, "stop_reason")));
            }
            case RESPONSES -> {
                JsonArrayBuilder parts = Json.PROVIDER.createArrayBuilder();
                JsonArray output = JsonFields.array(reply, "output");
                if (output != null) {
                    for (JsonValue item : output) {
                        if (item instanceof JsonObject object) {
                            responsesOutput(parts, object, budget);
                        }
                    }
                }
                messages.add(message("assistant", parts, JsonFields.string(reply, "status")));
            }
            case EMBEDDINGS -> {
                return null;
            }
        }
        return write(messages.build());
    }

    /** {@code gen_ai.output.messages} of a stream: the text it carried, already bounded. */
    static String streamedOutput(String text, List<String> finishReasons) {
        JsonArrayBuilder parts = Json.PROVIDER.createArrayBuilder();
        if (!text.isEmpty()) {
            parts.add(textPart(text));
        }
        return write(Json.PROVIDER.createArrayBuilder()
                .add(message("assistant", parts, finishReasons.isEmpty() ? null : finishReasons.get(0))).build());
    }

    /** The text a stream event in the door's format adds to the reply, or null. */
    static String streamedText(Protocol protocol, String eventType, JsonObject event) {
        return switch (protocol) {
            case CHAT -> {
                JsonArray choices = JsonFields.array(event, "choices");
                JsonObject first = choices == null || choices.isEmpty() || !(choices.get(0) instanceof JsonObject o)
                        ? null : o;
                yield JsonFields.string(JsonFields.object(first, "delta"), "content");
            }
            case MESSAGES -> "content_block_delta".equals(eventType)
                    ? JsonFields.string(JsonFields.object(event, "delta"), "text") : null;
            case RESPONSES -> "response.output_text.delta".equals(eventType) ? JsonFields.string(event, "delta") : null;
            case EMBEDDINGS -> null;
        };
    }

    /** A Chat or Messages message. */
    private static JsonObject message(JsonObject message, Budget budget) {
        String role = JsonFields.string(message, "role");
        if ("tool".equals(role)) {
            // Chat's tool result: one tool_call_response part.
            JsonValue content = JsonFields.get(message, "content");
            return message("tool", Json.PROVIDER.createArrayBuilder().add(Json.PROVIDER.createObjectBuilder()
                    .add("type", "tool_call_response")
                    .add("id", orEmpty(JsonFields.string(message, "tool_call_id")))
                    .add("response", budget.take(content instanceof JsonString s ? s.getString()
                            : content == null ? "" : content.toString()))), null);
        }
        return message(role == null ? "user" : role, chatParts(message, budget), null);
    }

    /** A Chat message's content and tool calls, or a Messages message's content blocks. */
    private static JsonArrayBuilder chatParts(JsonObject message, Budget budget) {
        JsonArrayBuilder parts = Json.PROVIDER.createArrayBuilder();
        JsonValue content = JsonFields.get(message, "content");
        if (content != null) {
            addParts(parts, content, budget);
        }
        JsonArray calls = JsonFields.array(message, "tool_calls");
        if (calls != null) {
            for (JsonValue value : calls) {
                JsonObject function = value instanceof JsonObject call ? JsonFields.object(call, "function") : null;
                if (function != null) {
                    parts.add(toolCall(JsonFields.string((JsonObject) value, "id"), JsonFields.string(function, "name"),
                            JsonFields.string(function, "arguments"), budget));
                }
            }
        }
        return parts;
    }

    /** A string, or an array of content parts or blocks of any door. */
    private static void addParts(JsonArrayBuilder parts, JsonValue content, Budget budget) {
        if (content instanceof JsonString text) {
            parts.add(textPart(budget.take(text.getString())));
            return;
        }
        if (!(content instanceof JsonArray array)) {
            return;
        }
        for (JsonValue value : array) {
            if (!(value instanceof JsonObject part)) {
                continue;
            }
            String type = orEmpty(JsonFields.string(part, "type"));
            switch (type) {
                case "text", "input_text", "output_text" -> {
                    String text = JsonFields.string(part, "text");
                    parts.add(textPart(budget.take(text == null ? "" : text)));
                }
                case "tool_use" -> parts.add(toolCall(JsonFields.string(part, "id"), JsonFields.string(part, "name"),
                        String.valueOf(JsonFields.get(part, "input")), budget));
                case "tool_result" -> {
                    JsonValue result = JsonFields.get(part, "content");
                    parts.add(Json.PROVIDER.createObjectBuilder().add("type", "tool_call_response")
                            .add("id", orEmpty(JsonFields.string(part, "tool_use_id")))
                            .add("response", budget.take(result instanceof JsonString s ? s.getString()
                                    : result == null ? "" : result.toString())));
                }
                // Images, documents, audio, thinking: the kind only, never the payload.
                default -> parts.add(Json.PROVIDER.createObjectBuilder().add("type", type));
            }
        }
    }

    private static JsonArrayBuilder parts(JsonString text, Budget budget) {
        return Json.PROVIDER.createArrayBuilder().add(textPart(budget.take(text.getString())));
    }

    /** A Responses input item: a message, a function call or its output. */
    private static JsonObject responsesItem(JsonObject item, Budget budget) {
        String type = JsonFields.string(item, "type");
        if ("function_call".equals(type)) {
            return message("assistant", Json.PROVIDER.createArrayBuilder().add(toolCall(JsonFields.string(item, "call_id"),
                    JsonFields.string(item, "name"), JsonFields.string(item, "arguments"), budget)), null);
        }
        if ("function_call_output".equals(type)) {
            JsonValue output = JsonFields.get(item, "output");
            return message("tool", Json.PROVIDER.createArrayBuilder().add(Json.PROVIDER.createObjectBuilder()
                    .add("type", "tool_call_response").add("id", orEmpty(JsonFields.string(item, "call_id")))
                    .add("response", budget.take(output instanceof JsonString s ? s.getString()
                            : output == null ? "" : output.toString()))), null);
        }
        String role = JsonFields.string(item, "role");
        JsonArrayBuilder parts = Json.PROVIDER.createArrayBuilder();
        JsonValue content = JsonFields.get(item, "content");
        if (content != null) {
            addParts(parts, content, budget);
        } else if (type != null) {
            parts.add(Json.PROVIDER.createObjectBuilder().add("type", type));
        }
        return message(role == null ? "user" : role, parts, null);
    }

    private static void responsesOutput(JsonArrayBuilder parts, JsonObject item, Budget budget) {
        String type = orEmpty(JsonFields.string(item, "type"));
        switch (type) {
            case "message" -> {
                JsonValue content = JsonFields.get(item, "content");
                if (content != null) {
                    addParts(parts, content, budget);
                }
            }
            case "function_call" -> parts.add(toolCall(JsonFields.string(item, "call_id"),
                    JsonFields.string(item, "name"), JsonFields.string(item, "arguments"), budget));
            default -> parts.add(Json.PROVIDER.createObjectBuilder().add("type", type));
        }
    }

    private static JsonObject message(String role, JsonArrayBuilder parts, String finishReason) {
        JsonObjectBuilder message = Json.PROVIDER.createObjectBuilder().add("role", role).add("parts", parts);
        if (finishReason != null) {
            message.add("finish_reason", finishReason);
        }
        return message.build();
    }

    private static JsonObject textPart(String text) {
        return Json.PROVIDER.createObjectBuilder().add("type", "text").add("content", text).build();
    }

    private static JsonObject toolCall(String id, String name, String arguments, Budget budget) {
        return Json.PROVIDER.createObjectBuilder().add("type", "tool_call").add("id", orEmpty(id))
                .add("name", orEmpty(name)).add("arguments", budget.take(arguments == null ? "" : arguments)).build();
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String write(JsonValue value) {
        return new String(Json.write(value), StandardCharsets.UTF_8);
    }
}
