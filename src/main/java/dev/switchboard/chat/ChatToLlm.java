package dev.switchboard.chat;

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
 * A validated Chat Completions request in the internal model (docs/protocols/openai-chat.md
 * §2–§4; docs/architecture.md, "The internal model and the front doors"): system and developer
 * messages become system text, consecutive messages of one side one turn (tool results on the
 * user's side), parts become blocks keeping {@code cache_control}, the legacy
 * {@code functions}/{@code function_call} their modern forms. The connectors still translate Chat
 * from its JSON (docs/architecture.md, "As built"); this is the Chat door's side of the design,
 * checked by a round trip through the internal model and back to Chat. {@code n} above 1 has no
 * internal-model counterpart and is a 400. Stateless.
 */
final class ChatToLlm {
    /** Prefix of the ids given to legacy {@code function_call}s, which have none; the Anthropic mapper's. */
    static final String LEGACY_CALL_ID_PREFIX = "call_legacy_";

    private ChatToLlm() {
    }

    static LlmRequest map(JsonObject json, String model, boolean stream) {
        if (JsonFields.number(json, "n") != null && json.getJsonNumber("n").longValue() > 1) {
            throw ErrorKind.UNSUPPORTED_PARAMETER.exception("n", "'n' must be 1 for a provider of another format.");
        }
        List<Content.Text> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        JsonArray array = json.getJsonArray("messages");
        java.util.Map<String, java.util.ArrayDeque<String>> legacyCalls = new java.util.HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            JsonObject message = array.getJsonObject(i);
            String path = "messages[" + i + "]";
            JsonValue content = message.get("content");
            switch (message.getString("role")) {
                case "system", "developer" -> parts(content, path + ".content", system, true);
                case "user" -> add(messages, Message.Role.USER, blocks(content, path + ".content"), path);
                case "tool" -> add(messages, Message.Role.USER, List.of(new Content.ToolResult(
                        message.getString("tool_call_id"), blocks(content, path + ".content"), false, path)), path);
                case "function" -> add(messages, Message.Role.USER, List.of(new Content.ToolResult(
                        legacyResult(legacyCalls, message, path), blocks(content, path + ".content"), false, path)), path);
                default -> {
                    List<Content> blocks = new ArrayList<>(blocks(content, path + ".content"));
                    if (message.get("tool_calls") instanceof JsonArray calls) {
                        for (int c = 0; c < calls.size(); c++) {
                            blocks.add(call(calls.getJsonObject(c), path + ".tool_calls[" + c + "]"));
                        }
                    }
                    if (message.get("function_call") instanceof JsonObject legacy
                            && JsonFields.string(legacy, "name") != null) {
                        String id = LEGACY_CALL_ID_PREFIX + i;
                        legacyCalls.computeIfAbsent(legacy.getString("name"), n -> new java.util.ArrayDeque<>()).add(id);
                        blocks.add(new Content.FunctionCall(id, legacy.getString("name"), arguments(legacy.get("arguments")),
                                path + ".function_call"));
                    }
                    add(messages, Message.Role.ASSISTANT, blocks, path);
                }
            }
        }
        String user = JsonFields.string(json, "safety_identifier");
        Long maxTokens = JsonFields.number(json, "max_completion_tokens") != null
                ? Long.valueOf(json.getJsonNumber("max_completion_tokens").longValue())
                : JsonFields.number(json, "max_tokens") != null ? Long.valueOf(json.getJsonNumber("max_tokens").longValue()) : null;
        return new LlmRequest(model, stream, system, messages, tools(json), toolChoice(json), responseFormat(json),
                JsonFields.string(json, "reasoning_effort"), null, maxTokens, decimal(json, "temperature"),
                decimal(json, "top_p"), stop(json.get("stop")), user != null ? user : JsonFields.string(json, "user"));
    }

    /** A legacy function message answers the earliest unanswered function_call of its name. */
    private static String legacyResult(java.util.Map<String, java.util.ArrayDeque<String>> calls, JsonObject message,
                                       String path) {
        String name = JsonFields.string(message, "name");
        java.util.ArrayDeque<String> pending = name == null ? null : calls.get(name);
        if (pending == null || pending.isEmpty()) {
            throw ErrorKind.INVALID_REQUEST.exception(path + ".name", path + " answers no earlier assistant function_call"
                    + (name == null ? "; it needs a 'name'." : " named '" + name + "'."));
        }
        return pending.poll();
    }

    private static java.math.BigDecimal decimal(JsonObject json, String name) {
        JsonNumber number = JsonFields.number(json, name);
        return number == null ? null : number.bigDecimalValue();
    }

    private static List<String> stop(JsonValue stop) {
        List<String> sequences = new ArrayList<>();
        if (stop instanceof JsonString one) {
            sequences.add(one.getString());
        } else if (stop instanceof JsonArray many) {
            many.forEach(value -> sequences.add(((JsonString) value).getString()));
        }
        return sequences;
    }

    private static void add(List<Message> messages, Message.Role role, List<Content> blocks, String path) {
        if (blocks.isEmpty()) {
            return;
        }
        Message last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && last.role() == role) {
            List<Content> merged = new ArrayList<>(last.content());
            merged.addAll(blocks);
            messages.set(messages.size() - 1, new Message(role, merged, last.path()));
        } else {
            messages.add(new Message(role, blocks, path));
        }
    }

    private static List<Content> blocks(JsonValue content, String path) {
        List<Content> blocks = new ArrayList<>();
        parts(content, path, blocks, false);
        return blocks;
    }

    /** The parts of {@code content} into {@code out}; {@code textOnly} for system text. */
    @SuppressWarnings("unchecked")
    private static <T extends Content> void parts(JsonValue content, String path, List<T> out, boolean textOnly) {
        if (content instanceof JsonString text) {
            out.add((T) new Content.Text(text.getString(), null, path));
            return;
        }
        if (!(content instanceof JsonArray parts)) {
            return;
        }
        for (int i = 0; i < parts.size(); i++) {
            JsonObject part = parts.getJsonObject(i);
            String partPath = path + "[" + i + "]";
            Content block = part(part, partPath);
            if (textOnly && !(block instanceof Content.Text)) {
                throw ErrorKind.UNSUPPORTED_PARAMETER.exception(partPath, "'" + partPath + "' must be text in a system"
                        + " or developer message.");
            }
            out.add((T) block);
        }
    }

    private static Content part(JsonObject part, String path) {
        JsonObject cacheControl = JsonFields.object(part, "cache_control");
        switch (part.getString("type")) {
            case "text" -> {
                return new Content.Text(part.getString("text"), cacheControl, path);
            }
            case "refusal" -> {
                return new Content.Text(String.valueOf(JsonFields.string(part, "refusal")), null, path);
            }
            case "image_url" -> {
                JsonValue image = part.get("image_url");
                String url = image instanceof JsonObject object ? JsonFields.string(object, "url")
                        : image instanceof JsonString s ? s.getString() : null;
                if (url == null) {
                    throw ErrorKind.INVALID_REQUEST.exception(path + ".image_url.url", "'" + path
                            + ".image_url.url' must be a string.");
                }
                String[] data = dataUrl(url);
                return data == null ? new Content.Image(null, null, url, cacheControl, path)
                        : new Content.Image(data[0], data[1], null, cacheControl, path);
            }
            case "file" -> {
                JsonObject file = JsonFields.object(part, "file");
                String fileData = JsonFields.string(file, "file_data");
                if (fileData == null) {
                    throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".file.file_id", "'" + path
                            + "' must carry the file in 'file_data': a file id means nothing to another provider.");
                }
                String[] data = dataUrl(fileData);
                return new Content.Document(data == null ? "application/pdf" : data[0], data == null ? fileData : data[1],
                        null, null, JsonFields.string(file, "filename"), cacheControl, path);
            }
            default -> {
                return new Content.Opaque(part.getString("type"), part, path);
            }
        }
    }

    /** A base64 data URL's media type and data, or null (RFC 2397). */
    private static String[] dataUrl(String url) {
        if (!url.regionMatches(true, 0, "data:", 0, 5)) {
            return null;
        }
        int comma = url.indexOf(',');
        int semicolon = url.indexOf(';');
        if (comma < 0 || semicolon < 0 || semicolon > comma || !url.substring(semicolon, comma).toLowerCase(java.util.Locale.ROOT).endsWith(";base64")) {
            return null;
        }
        return new String[] {url.substring(5, semicolon).toLowerCase(java.util.Locale.ROOT), url.substring(comma + 1)};
    }

    private static Content.FunctionCall call(JsonObject call, String path) {
        JsonObject function = JsonFields.object(call, "function");
        String id = JsonFields.string(call, "id");
        if (id == null || function == null) {
            throw ErrorKind.INVALID_REQUEST.exception(path, "'" + path + "' needs an 'id' and a 'function'.");
        }
        return new Content.FunctionCall(id, function.getString("name"), arguments(function.get("arguments")), path);
    }

    private static String arguments(JsonValue arguments) {
        return arguments instanceof JsonString s && !s.getString().isBlank() ? s.getString() : "{}";
    }

    private static List<Tool> tools(JsonObject json) {
        List<Tool> tools = new ArrayList<>();
        JsonArray modern = JsonFields.array(json, "tools");
        JsonArray legacy = JsonFields.array(json, "functions");
        JsonArray array = modern != null && !modern.isEmpty() ? modern : legacy;
        for (int i = 0; array != null && i < array.size(); i++) {
            JsonObject entry = array.getJsonObject(i);
            String path = (array == modern ? "tools[" : "functions[") + i + "]";
            JsonObject function = array == modern ? JsonFields.object(entry, "function") : entry;
            if (array == modern && !"function".equals(JsonFields.string(entry, "type") == null ? "function"
                    : entry.getString("type"))) {
                throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".type", "'" + path + "' is a '"
                        + entry.getString("type") + "' tool; only function tools can be translated.");
            }
            if (function == null || JsonFields.string(function, "name") == null) {
                throw ErrorKind.INVALID_REQUEST.exception(path, "'" + path + "' needs a function with a name.");
            }
            tools.add(new Tool(function.getString("name"), JsonFields.string(function, "description"),
                    JsonFields.object(function, "parameters"), JsonFields.object(entry, "cache_control"), path));
        }
        List<String> allowed = allowedTools(json);
        if (allowed != null) {
            // The internal model has no subset choice: only the allowed tools are offered.
            tools.removeIf(tool -> !allowed.contains(tool.name()));
        }
        return tools;
    }

    /** The names an {@code allowed_tools} choice keeps, or null when the choice is not one. */
    private static List<String> allowedTools(JsonObject json) {
        JsonObject choice = JsonFields.object(json, "tool_choice");
        if (!"allowed_tools".equals(JsonFields.string(choice, "type"))) {
            return null;
        }
        List<String> names = new ArrayList<>();
        JsonArray tools = JsonFields.array(JsonFields.object(choice, "allowed_tools"), "tools");
        for (int i = 0; tools != null && i < tools.size(); i++) {
            if (tools.get(i) instanceof JsonObject tool) {
                names.add(JsonFields.string(JsonFields.object(tool, "function"), "name"));
            }
        }
        return names;
    }

    private static ToolChoice toolChoice(JsonObject json) {
        boolean parallel = json.get("parallel_tool_calls") != JsonValue.FALSE;
        if (allowedTools(json) != null) {
            boolean required = "required".equals(JsonFields.string(JsonFields.object(JsonFields.object(json,
                    "tool_choice"), "allowed_tools"), "mode"));
            return new ToolChoice(required ? ToolChoice.Mode.REQUIRED : ToolChoice.Mode.AUTO, null, parallel);
        }
        JsonValue choice = JsonFields.get(json, "tool_choice");
        if (choice == null) {
            choice = JsonFields.get(json, "function_call");
        }
        if (choice instanceof JsonString mode) {
            return new ToolChoice(switch (mode.getString()) {
                case "none" -> ToolChoice.Mode.NONE;
                case "required" -> ToolChoice.Mode.REQUIRED;
                default -> ToolChoice.Mode.AUTO;
            }, null, parallel);
        }
        if (choice instanceof JsonObject object) {
            String name = JsonFields.string(JsonFields.object(object, "function"), "name");
            name = name != null ? name : JsonFields.string(object, "name");
            if (name != null) {
                return new ToolChoice(ToolChoice.Mode.NAMED, name, parallel);
            }
        }
        return new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
    }

    private static ResponseFormat responseFormat(JsonObject json) {
        JsonObject format = JsonFields.object(json, "response_format");
        String type = JsonFields.string(format, "type");
        if ("json_object".equals(type)) {
            return new ResponseFormat(ResponseFormat.Kind.JSON, null, null, false, null);
        }
        JsonObject schema = JsonFields.object(format, "json_schema");
        if ("json_schema".equals(type) && JsonFields.object(schema, "schema") != null) {
            return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, JsonFields.string(schema, "name"),
                    schema.getJsonObject("schema"), JsonFields.isTrue(schema, "strict"),
                    JsonFields.string(schema, "description"));
        }
        return ResponseFormat.TEXT;
    }
}
