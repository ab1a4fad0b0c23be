package dev.switchboard.ingress.responses;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Message;
import dev.switchboard.llm.ResponseFormat;
import dev.switchboard.llm.Tool;
import dev.switchboard.llm.ToolChoice;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated Responses body in the internal model, for a provider without the Responses API
 * (docs/protocols/openai-responses.md §7–§9). {@code instructions} and system or developer items
 * become system text; consecutive items of one side (messages, {@code function_call}s and their
 * outputs, reasoning) make one turn, as the providers that alternate turns need; a reasoning
 * item's {@code encrypted_content} comes back as the signature of the provider that made it
 * ({@link ReasoningCodec}). Hosted tools and items that refer to stored state have no meaning off
 * OpenAI and are a 400 naming them. Stateless.
 */
final class ResponsesToLlm {
    private ResponsesToLlm() {
    }

    static LlmRequest map(JsonObject json, String model, boolean stream) {
        List<Content.Text> system = new ArrayList<>();
        String instructions = JsonFields.string(json, "instructions");
        if (instructions != null && !instructions.isEmpty()) {
            system.add(new Content.Text(instructions, null, "instructions"));
        }
        List<Message> messages = new ArrayList<>();
        JsonValue input = json.get("input");
        if (input instanceof JsonString text) {
            messages.add(new Message(Message.Role.USER, List.of(new Content.Text(text.getString(), null, "input")), "input"));
        } else {
            JsonArray items = (JsonArray) input;
            for (int i = 0; i < items.size(); i++) {
                item(items.getJsonObject(i), "input[" + i + "]", system, messages);
            }
        }
        JsonObject reasoning = JsonFields.object(json, "reasoning");
        JsonNumber maxTokens = JsonFields.number(json, "max_output_tokens");
        String user = JsonFields.string(json, "safety_identifier");
        return new LlmRequest(model, stream, system, messages, tools(JsonFields.array(json, "tools")),
                toolChoice(json), responseFormat(JsonFields.object(JsonFields.object(json, "text"), "format")),
                JsonFields.string(reasoning, "effort"), null, maxTokens == null ? null : maxTokens.longValue(),
                number(json, "temperature"), number(json, "top_p"), List.of(),
                user != null ? user : JsonFields.string(json, "user"));
    }

    private static java.math.BigDecimal number(JsonObject json, String name) {
        JsonNumber number = JsonFields.number(json, name);
        return number == null ? null : number.bigDecimalValue();
    }

    private static void item(JsonObject item, String path, List<Content.Text> system, List<Message> messages) {
        String type = JsonFields.string(item, "type");
        switch (type == null ? "message" : type) {
            case "message" -> message(item, path, system, messages);
            case "function_call" -> add(messages, Message.Role.ASSISTANT, new Content.FunctionCall(
                    required(item, "call_id", path), required(item, "name", path),
                    JsonFields.string(item, "arguments") == null ? "{}" : item.getString("arguments"), path), path);
            case "function_call_output" -> add(messages, Message.Role.USER, new Content.ToolResult(
                    required(item, "call_id", path), output(item.get("output"), path + ".output"), false, path), path);
            case "reasoning" -> add(messages, Message.Role.ASSISTANT, reasoning(item, path), path);
            case "item_reference" -> throw ErrorKind.INVALID_REQUEST.exception(path, "'" + path
                    + "' refers to a stored item; Switchboard stores none, so send the item itself.");
            default -> throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".type", "'" + path + "' is a '" + type
                    + "' item, which only an OpenAI provider with the Responses API takes.");
        }
    }

    private static void message(JsonObject item, String path, List<Content.Text> system, List<Message> messages) {
        String role = required(item, "role", path);
        List<Content> blocks = parts(item.get("content"), path + ".content");
        switch (role) {
            case "system", "developer" -> {
                for (Content block : blocks) {
                    if (!(block instanceof Content.Text text)) {
                        throw ErrorKind.UNSUPPORTED_PARAMETER.exception(block.path(), "'" + block.path()
                                + "' must be text in a " + role + " message.");
                    }
                    system.add(text);
                }
            }
            case "user" -> blocks.forEach(block -> add(messages, Message.Role.USER, block, path));
            case "assistant" -> blocks.forEach(block -> add(messages, Message.Role.ASSISTANT, block, path));
            default -> throw ErrorKind.INVALID_REQUEST.exception(path + ".role", "'" + path
                    + ".role' must be user, assistant, system or developer.");
        }
    }

    /** Appends {@code block} to the last turn when it is {@code role}'s, else to a new turn. */
    private static void add(List<Message> messages, Message.Role role, Content block, String path) {
        Message last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && last.role() == role) {
            List<Content> content = new ArrayList<>(last.content());
            content.add(block);
            messages.set(messages.size() - 1, new Message(role, content, last.path()));
        } else {
            messages.add(new Message(role, List.of(block), path));
        }
    }

    private static List<Content> parts(JsonValue content, String path) {
        List<Content> blocks = new ArrayList<>();
        if (content instanceof JsonString text) {
            blocks.add(new Content.Text(text.getString(), null, path));
            return blocks;
        }
        if (!(content instanceof JsonArray parts)) {
            throw ErrorKind.INVALID_REQUEST.exception(path, "'" + path + "' must be a string or an array of parts.");
        }
        for (int i = 0; i < parts.size(); i++) {
            String partPath = path + "[" + i + "]";
            if (!(parts.get(i) instanceof JsonObject part)) {
                throw ErrorKind.INVALID_REQUEST.exception(partPath, "'" + partPath + "' must be an object.");
            }
            blocks.add(part(part, partPath));
        }
        return blocks;
    }

    private static Content part(JsonObject part, String path) {
        String type = JsonFields.string(part, "type");
        switch (type == null ? "" : type) {
            case "input_text", "output_text", "text" -> {
                return new Content.Text(required(part, "text", path), null, path);
            }
            case "refusal" -> {
                return new Content.Text(required(part, "refusal", path), null, path);
            }
            case "input_image" -> {
                String url = JsonFields.string(part, "image_url");
                if (url == null) {
                    throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".image_url", "'" + path
                            + ".image_url' is required: a file_id means nothing off OpenAI.");
                }
                DataUrlParts data = DataUrlParts.of(url);
                return data == null ? new Content.Image(null, null, url, null, path)
                        : new Content.Image(data.mediaType(), data.base64(), null, null, path);
            }
            case "input_file" -> {
                String fileData = JsonFields.string(part, "file_data");
                if (fileData == null) {
                    throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path, "'" + path
                            + "' must carry its file in 'file_data': file ids and URLs mean nothing off OpenAI.");
                }
                DataUrlParts data = DataUrlParts.of(fileData);
                return new Content.Document(data == null ? "application/pdf" : data.mediaType(),
                        data == null ? fileData : data.base64(), null, null, JsonFields.string(part, "filename"), null, path);
            }
            default -> throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".type", "'" + path + "' is a '" + type
                    + "' part, which Switchboard cannot translate.");
        }
    }

    private static List<Content> output(JsonValue output, String path) {
        if (output instanceof JsonString text) {
            return List.of(new Content.Text(text.getString(), null, path));
        }
        if (output == null || output.getValueType() == JsonValue.ValueType.NULL) {
            return List.of();
        }
        return parts(output, path);
    }

    private static Content reasoning(JsonObject item, String path) {
        StringBuilder text = new StringBuilder();
        JsonArray summary = JsonFields.array(item, "summary");
        for (int i = 0; summary != null && i < summary.size(); i++) {
            if (summary.get(i) instanceof JsonObject part && JsonFields.string(part, "text") != null) {
                text.append(text.isEmpty() ? "" : "\n\n").append(part.getString("text"));
            }
        }
        ReasoningCodec.Signature signature = ReasoningCodec.decode(JsonFields.string(item, "encrypted_content"));
        return new Content.Reasoning(text.isEmpty() ? null : text.toString(),
                signature == null ? null : signature.signature(), signature == null ? null : signature.origin(), path);
    }

    private static List<Tool> tools(JsonArray array) {
        List<Tool> tools = new ArrayList<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            JsonObject tool = array.getJsonObject(i);
            String path = "tools[" + i + "]";
            String type = JsonFields.string(tool, "type");
            if (!"function".equals(type)) {
                throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".type", "'" + path + "' is a '" + type
                        + "' tool, which only an OpenAI provider with the Responses API runs.");
            }
            tools.add(new Tool(required(tool, "name", path), JsonFields.string(tool, "description"),
                    JsonFields.object(tool, "parameters"), null, path));
        }
        return tools;
    }

    private static ToolChoice toolChoice(JsonObject json) {
        boolean parallel = json.get("parallel_tool_calls") != JsonValue.FALSE;
        JsonValue choice = json.get("tool_choice");
        if (choice instanceof JsonString mode) {
            return switch (mode.getString()) {
                case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null, parallel);
                case "required" -> new ToolChoice(ToolChoice.Mode.REQUIRED, null, parallel);
                case "auto" -> new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
                default -> throw ErrorKind.INVALID_REQUEST.exception("tool_choice", "'tool_choice' must be none, auto,"
                        + " required or an object, not '" + mode.getString() + "'.");
            };
        }
        if (choice instanceof JsonObject object) {
            if (!"function".equals(JsonFields.string(object, "type")) || JsonFields.string(object, "name") == null) {
                throw ErrorKind.UNSUPPORTED_PARAMETER.exception("tool_choice", "A 'tool_choice' other than"
                        + " {\"type\":\"function\",\"name\":…} needs an OpenAI provider with the Responses API.");
            }
            return new ToolChoice(ToolChoice.Mode.NAMED, object.getString("name"), parallel);
        }
        return new ToolChoice(ToolChoice.Mode.AUTO, null, parallel, false);
    }

    private static ResponseFormat responseFormat(JsonObject format) {
        String type = JsonFields.string(format, "type");
        if (type == null || type.equals("text")) {
            return ResponseFormat.TEXT;
        }
        if (type.equals("json_object")) {
            return new ResponseFormat(ResponseFormat.Kind.JSON, null, null, false, null);
        }
        if (type.equals("json_schema") && JsonFields.object(format, "schema") != null) {
            return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, JsonFields.string(format, "name"),
                    format.getJsonObject("schema"), JsonFields.isTrue(format, "strict"),
                    JsonFields.string(format, "description"));
        }
        throw ErrorKind.INVALID_REQUEST.exception("text.format", "'text.format' must be text, json_object, or"
                + " json_schema with a 'schema'.");
    }

    private static String required(JsonObject object, String name, String path) {
        String value = JsonFields.string(object, name);
        if (value == null) {
            throw ErrorKind.INVALID_REQUEST.exception(path + "." + name, "'" + path + "." + name + "' must be a string.");
        }
        return value;
    }

    /** A base64 {@code data:} URL split (RFC 2397), or null when the text is not one. */
    record DataUrlParts(String mediaType, String base64) {
        static DataUrlParts of(String url) {
            if (!url.regionMatches(true, 0, "data:", 0, 5)) {
                return null;
            }
            int comma = url.indexOf(',');
            int base64 = url.lastIndexOf(";base64", comma);
            if (comma < 0 || base64 < 0) {
                return null;
            }
            int semicolon = url.indexOf(';');
            return new DataUrlParts(url.substring(5, semicolon).trim().toLowerCase(java.util.Locale.ROOT),
                    url.substring(comma + 1));
        }
    }
}
