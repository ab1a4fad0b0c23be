package dev.switchboard.chat;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Message;
import dev.switchboard.llm.ReasoningEffort;
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
 * {@code functions}/{@code function_call} their modern forms, and a tool result keeps the
 * function name its message carries. The Anthropic and Gemini connectors translate Chat from this
 * (docs/architecture.md, "As built"). What is wrong with the Chat request itself is a 400 naming
 * its Chat field, whichever provider it goes to: a tool call without an id or of another type than
 * function, arguments that are not a string, a tool choice the tools cannot satisfy, a limit below
 * 1, an unknown effort or {@code response_format} type. Each block keeps the field a provider's 400 names (a tool call's {@code function},
 * an image's {@code image_url.url}). Stateless.
 */
final class ChatToLlm {
    /** Prefix of the ids given to legacy {@code function_call}s, which have none; the Anthropic mapper's. */
    static final String LEGACY_CALL_ID_PREFIX = "call_legacy_";
    /** The scheme of a {@code file_id} that names a file by URL rather than by an OpenAI id. */
    static final String HTTPS = "https://";
    /** The {@code response_format} types a translation can carry (docs/protocols/openai-chat.md §5). */
    static final java.util.Set<String> RESPONSE_FORMATS = java.util.Set.of("text", "json_object", "json_schema");

    private ChatToLlm() {
    }

    static LlmRequest map(JsonObject json, String model, boolean stream) {
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
                        message.getString("tool_call_id"), JsonFields.string(message, "name"),
                        blocks(content, path + ".content"), false, path)), path);
                case "function" -> add(messages, Message.Role.USER, List.of(new Content.ToolResult(
                        legacyResult(legacyCalls, message, path), message.getString("name"),
                        blocks(content, path + ".content"), false, path)), path);
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
                        blocks.add(new Content.FunctionCall(id, legacy.getString("name"),
                                arguments(legacy.get("arguments"), path + ".function_call"), path + ".function_call"));
                    }
                    add(messages, Message.Role.ASSISTANT, blocks, path);
                }
            }
        }
        String user = JsonFields.string(json, "safety_identifier");
        Long maxTokens = limit(json, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = limit(json, "max_tokens");
        }
        String effort = JsonFields.string(json, "reasoning_effort");
        ReasoningEffort.parse(effort, "reasoning_effort");
        List<Tool> tools = tools(json);
        ToolChoice toolChoice = toolChoice(json, tools);
        List<String> allowed = allowedTools(json);
        if (allowed != null) {
            // The internal model has no subset choice: only the allowed tools are offered.
            tools.removeIf(tool -> !allowed.contains(tool.name()));
        }
        return new LlmRequest(model, stream, system, messages, tools, toolChoice, responseFormat(json),
                effort, null, maxTokens, decimal(json, "temperature"),
                decimal(json, "top_p"), stop(json.get("stop")), user != null ? user : JsonFields.string(json, "user"),
                sampling(json));
    }

    /** {@code top_k} (no Chat field, but some clients send it), {@code seed}, the penalties and {@code n}. */
    private static LlmRequest.Sampling sampling(JsonObject json) {
        JsonNumber topK = JsonFields.number(json, "top_k");
        JsonNumber seed = JsonFields.number(json, "seed");
        JsonNumber n = JsonFields.number(json, "n");
        return new LlmRequest.Sampling(topK != null && topK.isIntegral() ? topK.intValue() : null,
                seed == null ? null : seed.longValue(), decimal(json, "presence_penalty"),
                decimal(json, "frequency_penalty"), n == null ? LlmRequest.Sampling.NONE.choices() : n.intValue());
    }

    /** An output limit, which must be at least 1 (the parser has checked that it is an integer). */
    private static Long limit(JsonObject json, String name) {
        JsonNumber number = JsonFields.number(json, name);
        if (number == null) {
            return null;
        }
        if (number.longValue() < 1) {
            throw ErrorKind.INVALID_REQUEST.exception(name, "'" + name + "' must be at least 1.");
        }
        return number.longValue();
    }

    /**
     * A legacy function message answers the earliest unanswered function_call of its name; one
     * that answers none has no call id (null), and only its name says which function it answers,
     * which Gemini takes and Claude does not.
     */
    private static String legacyResult(java.util.Map<String, java.util.ArrayDeque<String>> calls, JsonObject message,
                                       String path) {
        String name = JsonFields.string(message, "name");
        if (name == null) {
            throw ErrorKind.INVALID_REQUEST.exception(path + ".name", path + " answers no earlier assistant function_call;"
                    + " it needs a 'name'.");
        }
        java.util.ArrayDeque<String> pending = calls.get(name);
        return pending == null ? null : pending.poll();
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
            // The parser lets other values through; they stop nothing, as the Chat mappers had it.
            many.forEach(value -> {
                if (value instanceof JsonString sequence) {
                    sequences.add(sequence.getString());
                }
            });
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
                String urlPath = path + ".image_url.url";
                if (url == null) {
                    throw ErrorKind.INVALID_REQUEST.exception(urlPath, "'" + urlPath + "' must be a string.");
                }
                String[] data = dataUrl(url);
                return data == null ? new Content.Image(null, null, url, cacheControl, urlPath)
                        : new Content.Image(data[0], data[1], null, cacheControl, urlPath);
            }
            case "file" -> {
                JsonObject file = JsonFields.object(part, "file");
                String fileData = JsonFields.string(file, "file_data");
                String fileId = JsonFields.string(file, "file_id");
                if (fileData == null && fileId != null && fileId.regionMatches(true, 0, HTTPS, 0, HTTPS.length())) {
                    // A file by URL (a Gemini Files API URI) is a document the provider fetches.
                    return new Content.Document(null, null, null, fileId, JsonFields.string(file, "filename"),
                            cacheControl, path + ".file.file_id");
                }
                if (fileData == null) {
                    throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".file.file_id", "'" + path
                            + "' must carry the file in 'file_data': a file id means nothing to another provider.");
                }
                String[] data = dataUrl(fileData);
                String filename = JsonFields.string(file, "filename");
                // Bare base64: OpenAI takes only PDFs this way, so that is the default; a .txt name says text.
                String bareType = filename != null && filename.toLowerCase(java.util.Locale.ROOT).endsWith(".txt")
                        ? "text/plain" : "application/pdf";
                return new Content.Document(data == null ? bareType : data[0], data == null ? fileData : data[1],
                        null, null, filename, cacheControl, path + ".file.file_data");
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
        String type = JsonFields.string(call, "type");
        if (type != null && !type.equals("function")) {
            throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".type", "'" + path + "' is a '" + type
                    + "' tool call; only function calls can be translated.");
        }
        if (JsonFields.string(call, "id") == null) {
            throw ErrorKind.INVALID_REQUEST.exception(path + ".id", "'" + path + ".id' is required.");
        }
        if (function == null || JsonFields.string(function, "name") == null) {
            throw ErrorKind.INVALID_REQUEST.exception(path + ".function.name", "'" + path + ".function.name' is required.");
        }
        return new Content.FunctionCall(call.getString("id"), function.getString("name"),
                arguments(function.get("arguments"), path + ".function"), path + ".function");
    }

    /**
     * Absent, null or blank arguments are none, {@code {}} (docs/protocols/openai-to-anthropic.md
     * §2.4); what is not a string is the client's error. Whether the string holds a JSON object is
     * the provider mapper's to check, where it parses it.
     */
    private static String arguments(JsonValue arguments, String path) {
        if (arguments == null || arguments == JsonValue.NULL) {
            return "{}";
        }
        if (!(arguments instanceof JsonString s)) {
            throw ErrorKind.INVALID_REQUEST.exception(path + ".arguments", path + ".arguments must be a string holding"
                    + " a JSON object, not " + dev.switchboard.json.Json.typeName(arguments) + ".");
        }
        return s.getString().isBlank() ? "{}" : s.getString();
    }

    private static List<Tool> tools(JsonObject json) {
        List<Tool> tools = new ArrayList<>();
        JsonArray modern = JsonFields.array(json, "tools");
        JsonArray legacy = JsonFields.array(json, "functions");
        JsonArray array = modern != null && !modern.isEmpty() ? modern : legacy;
        for (int i = 0; array != null && i < array.size(); i++) {
            String path = (array == modern ? "tools[" : "functions[") + i + "]";
            if (!(array.get(i) instanceof JsonObject entry)) {
                throw ErrorKind.INVALID_REQUEST.exception(path, "'" + path + "' must be an object.");
            }
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
                    JsonFields.object(function, "parameters"), JsonFields.object(entry, "cache_control"),
                    array == modern ? path + ".function" : path));
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

    /**
     * The choice, checked against the declared tools as OpenAI and Gemini check it (400): a choice
     * that forces or picks tools needs some, a named one must name one of them, and so must each
     * {@code allowed_tools} entry. Dropping the choice instead would leave the client waiting for a
     * call that never comes.
     */
    private static ToolChoice toolChoice(JsonObject json, List<Tool> tools) {
        boolean parallel = json.get("parallel_tool_calls") != JsonValue.FALSE;
        java.util.Set<String> declared = new java.util.LinkedHashSet<>();
        tools.forEach(tool -> declared.add(tool.name()));
        String param = JsonFields.get(json, "tool_choice") != null ? "tool_choice" : "function_call";
        JsonValue choice = JsonFields.get(json, param);
        List<String> allowed = allowedTools(json);
        if (allowed != null) {
            String listParam = "tool_choice.allowed_tools.tools";
            if (JsonFields.array(JsonFields.object(JsonFields.object(json, "tool_choice"), "allowed_tools"), "tools") == null) {
                throw ErrorKind.INVALID_REQUEST.exception(listParam, "'" + listParam + "' is required.");
            }
            requireTools(declared, param);
            if (allowed.isEmpty()) {
                throw ErrorKind.INVALID_REQUEST.exception(listParam, "'" + listParam + "' must name at least one of the"
                        + " declared tools " + declared + ".");
            }
            for (int i = 0; i < allowed.size(); i++) {
                if (allowed.get(i) == null || !declared.contains(allowed.get(i))) {
                    String entry = listParam + "[" + i + "]";
                    throw ErrorKind.INVALID_REQUEST.exception(entry, "'" + entry + "' must name one of the declared tools "
                            + declared + ".");
                }
            }
            boolean required = "required".equals(JsonFields.string(JsonFields.object(JsonFields.object(json,
                    "tool_choice"), "allowed_tools"), "mode"));
            return new ToolChoice(required ? ToolChoice.Mode.REQUIRED : ToolChoice.Mode.AUTO, null, parallel);
        }
        if (choice instanceof JsonString mode) {
            ToolChoice.Mode chosen = switch (mode.getString()) {
                case "none" -> ToolChoice.Mode.NONE;
                case "required" -> ToolChoice.Mode.REQUIRED;
                case "auto" -> ToolChoice.Mode.AUTO;
                default -> throw ErrorKind.INVALID_REQUEST.exception(param, "'" + param
                        + "' must be none, auto, required or an object, not '" + mode.getString() + "'.");
            };
            if (chosen == ToolChoice.Mode.REQUIRED) {
                requireTools(declared, param);
            }
            return new ToolChoice(chosen, null, parallel);
        }
        if (choice instanceof JsonObject object) {
            boolean legacy = param.equals("function_call");
            String nameParam = legacy ? param + ".name" : param + ".function.name";
            String name = legacy ? JsonFields.string(object, "name")
                    : JsonFields.string(JsonFields.object(object, "function"), "name");
            if (name == null) {
                throw ErrorKind.INVALID_REQUEST.exception(nameParam, "'" + nameParam + "' is required.");
            }
            requireTools(declared, param);
            if (!declared.contains(name)) {
                throw ErrorKind.INVALID_REQUEST.exception(nameParam, "'" + nameParam
                        + "' must name one of the declared tools " + declared + ", not '" + name + "'.");
            }
            return new ToolChoice(ToolChoice.Mode.NAMED, name, parallel);
        }
        return new ToolChoice(ToolChoice.Mode.AUTO, null, parallel, false);
    }

    private static void requireTools(java.util.Set<String> declared, String param) {
        if (declared.isEmpty()) {
            throw ErrorKind.INVALID_REQUEST.exception(param, "'" + param + "' requires tools, but the request declares"
                    + " none; declare them in 'tools', or send 'auto' or 'none'.");
        }
    }

    private static ResponseFormat responseFormat(JsonObject json) {
        JsonObject format = JsonFields.object(json, "response_format");
        String type = JsonFields.string(format, "type");
        if (type != null && !RESPONSE_FORMATS.contains(type)) {
            throw ErrorKind.UNSUPPORTED_PARAMETER.exception("response_format.type", "'response_format.type' '" + type
                    + "' cannot be translated; use 'text', 'json_object' or 'json_schema'.");
        }
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
