package dev.switchboard.ingress.messages;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated Messages body in the internal model, for a provider that does not speak Messages
 * (docs/protocols/anthropic-messages-ingress.md §7). Everything a translation can carry is kept:
 * {@code cache_control} on text, images, documents and tools, thinking blocks with their
 * signature (marked as Anthropic's), tool results with their error flag. Blocks that only
 * Anthropic can run (server-tool blocks, search results, containers) are kept opaque for the
 * provider to refuse; Anthropic's server tools are refused here, since no other provider runs
 * them. {@code top_k} is kept for the providers that have it. Stateless.
 */
final class MessagesToLlm {
    /** The origin of a thinking block's signature: only Anthropic can check it. */
    static final String ORIGIN = "anthropic";
    /** The effort of adaptive thinking when the client names none: Anthropic's default. */
    static final String DEFAULT_ADAPTIVE_EFFORT = "high";
    /** The schema name a structured output gets where the provider wants one. */
    static final String FORMAT_NAME = "output";

    private MessagesToLlm() {
    }

    static LlmRequest map(JsonObject json, String model, boolean stream) {
        List<Content.Text> system = system(json.get("system"));
        List<Message> messages = new ArrayList<>();
        JsonArray array = json.getJsonArray("messages");
        for (int i = 0; i < array.size(); i++) {
            JsonObject message = array.getJsonObject(i);
            String path = "messages[" + i + "]";
            Message.Role role = "assistant".equals(message.getString("role")) ? Message.Role.ASSISTANT : Message.Role.USER;
            messages.add(new Message(role, blocks(message.get("content"), path + ".content"), path));
        }
        JsonObject thinking = JsonFields.object(json, "thinking");
        JsonObject outputConfig = JsonFields.object(json, "output_config");
        String thinkingType = JsonFields.string(thinking, "type");
        Integer budget = null;
        String effort = JsonFields.string(outputConfig, "effort");
        if ("enabled".equals(thinkingType) && JsonFields.number(thinking, "budget_tokens") != null) {
            budget = JsonFields.number(thinking, "budget_tokens").intValue();
            effort = effort != null ? effort : effortFor(budget);
        } else if ("adaptive".equals(thinkingType)) {
            effort = effort != null ? effort : DEFAULT_ADAPTIVE_EFFORT;
        } else if ("disabled".equals(thinkingType)) {
            effort = null;
        }
        JsonNumber maxTokens = JsonFields.number(json, "max_tokens");
        List<String> stop = new ArrayList<>();
        JsonArray sequences = JsonFields.array(json, "stop_sequences");
        if (sequences != null) {
            for (JsonValue sequence : sequences) {
                stop.add(((JsonString) sequence).getString());
            }
        }
        return new LlmRequest(model, stream, system, messages, tools(JsonFields.array(json, "tools")),
                toolChoice(JsonFields.object(json, "tool_choice")), responseFormat(outputConfig), effort, budget,
                maxTokens == null ? null : maxTokens.longValue(),
                number(json, "temperature"), number(json, "top_p"), stop,
                JsonFields.string(JsonFields.object(json, "metadata"), "user_id"), sampling(json));
    }

    /** {@code top_k}, which Gemini takes too. */
    private static LlmRequest.Sampling sampling(JsonObject json) {
        JsonNumber topK = JsonFields.number(json, "top_k");
        return topK == null ? LlmRequest.Sampling.NONE
                : new LlmRequest.Sampling(topK.intValue(), null, null, null, LlmRequest.Sampling.NONE.choices());
    }

    /**
     * OpenAI's effort level nearest a thinking budget, for providers that take a level: the
     * budgets Switchboard itself sends Claude per level (docs/providers/anthropic.md).
     */
    static String effortFor(int budget) {
        if (budget <= 1024) {
            return "low";
        }
        if (budget <= 2048) {
            return "medium";
        }
        return budget <= 8192 ? "high" : "xhigh";
    }

    private static java.math.BigDecimal number(JsonObject json, String name) {
        JsonNumber number = JsonFields.number(json, name);
        return number == null ? null : number.bigDecimalValue();
    }

    private static List<Content.Text> system(JsonValue value) {
        List<Content.Text> system = new ArrayList<>();
        if (value instanceof JsonString text) {
            system.add(new Content.Text(text.getString(), null, "system"));
        } else if (value instanceof JsonArray blocks) {
            for (int i = 0; i < blocks.size(); i++) {
                JsonObject block = blocks.getJsonObject(i);
                String path = "system[" + i + "]";
                if (!"text".equals(block.getString("type"))) {
                    throw ErrorKind.INVALID_REQUEST.exception(path, "'" + path + "' must be a text block.");
                }
                system.add(new Content.Text(text(block, path), JsonFields.object(block, "cache_control"), path));
            }
        }
        return system;
    }

    private static List<Content> blocks(JsonValue content, String path) {
        List<Content> blocks = new ArrayList<>();
        if (content instanceof JsonString text) {
            blocks.add(new Content.Text(text.getString(), null, path));
            return blocks;
        }
        if (!(content instanceof JsonArray array)) {
            throw ErrorKind.INVALID_REQUEST.exception(path, "'" + path + "' must be a string or an array of blocks.");
        }
        for (int i = 0; i < array.size(); i++) {
            String blockPath = path + "[" + i + "]";
            if (!(array.get(i) instanceof JsonObject block) || JsonFields.string(block, "type") == null) {
                throw ErrorKind.INVALID_REQUEST.exception(blockPath, "'" + blockPath
                        + "' must be a content block object with a string 'type'.");
            }
            blocks.add(block(block, blockPath));
        }
        return blocks;
    }

    private static Content block(JsonObject block, String path) {
        JsonObject cacheControl = JsonFields.object(block, "cache_control");
        String type = block.getString("type");
        switch (type) {
            case "text" -> {
                return new Content.Text(text(block, path), cacheControl, path);
            }
            case "image" -> {
                JsonObject source = source(block, path);
                return new Content.Image(JsonFields.string(source, "media_type"), JsonFields.string(source, "data"),
                        JsonFields.string(source, "url"), cacheControl, path);
            }
            case "document" -> {
                JsonObject source = source(block, path);
                boolean text = "text".equals(JsonFields.string(source, "type"));
                return new Content.Document(JsonFields.string(source, "media_type"),
                        text ? null : JsonFields.string(source, "data"), text ? JsonFields.string(source, "data") : null,
                        JsonFields.string(source, "url"), JsonFields.string(block, "title"), cacheControl, path);
            }
            case "tool_use" -> {
                JsonValue input = block.get("input");
                return new Content.FunctionCall(required(block, "id", path), required(block, "name", path),
                        input == null ? "{}" : new String(Json.write(input), StandardCharsets.UTF_8), path);
            }
            case "tool_result" -> {
                JsonValue content = block.get("content");
                List<Content> result = content == null || content.getValueType() == JsonValue.ValueType.NULL
                        ? List.of() : blocks(content, path + ".content");
                return new Content.ToolResult(required(block, "tool_use_id", path), result,
                        JsonFields.isTrue(block, "is_error"), path);
            }
            case "thinking" -> {
                return new Content.Reasoning(JsonFields.string(block, "thinking"), JsonFields.string(block, "signature"),
                        ORIGIN, path);
            }
            case "redacted_thinking" -> {
                return Content.Reasoning.redacted(String.valueOf(JsonFields.string(block, "data")), ORIGIN, path);
            }
            default -> {
                return new Content.Opaque(type, block, path);
            }
        }
    }

    private static JsonObject source(JsonObject block, String path) {
        JsonObject source = JsonFields.object(block, "source");
        if (source == null) {
            throw ErrorKind.INVALID_REQUEST.exception(path + ".source", "'" + path + ".source' is required.");
        }
        return source;
    }

    private static String text(JsonObject block, String path) {
        return required(block, "text", path);
    }

    private static String required(JsonObject block, String name, String path) {
        String value = JsonFields.string(block, name);
        if (value == null) {
            throw ErrorKind.INVALID_REQUEST.exception(path + "." + name, "'" + path + "." + name
                    + "' must be a string.");
        }
        return value;
    }

    private static List<Tool> tools(JsonArray array) {
        List<Tool> tools = new ArrayList<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            JsonObject tool = array.getJsonObject(i);
            String path = "tools[" + i + "]";
            String type = JsonFields.string(tool, "type");
            if (type != null && !type.equals("custom")) {
                throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path + ".type", "'" + path + "' is Anthropic's '" + type
                        + "' server tool, which only an Anthropic provider runs.");
            }
            tools.add(new Tool(required(tool, "name", path), JsonFields.string(tool, "description"),
                    JsonFields.object(tool, "input_schema"), JsonFields.object(tool, "cache_control"), path));
        }
        return tools;
    }

    private static ToolChoice toolChoice(JsonObject choice) {
        if (choice == null) {
            return ToolChoice.DEFAULT;
        }
        boolean parallel = !JsonFields.isTrue(choice, "disable_parallel_tool_use");
        String type = JsonFields.string(choice, "type");
        ToolChoice.Mode mode = switch (type == null ? "auto" : type) {
            case "any" -> ToolChoice.Mode.REQUIRED;
            case "tool" -> ToolChoice.Mode.NAMED;
            case "none" -> ToolChoice.Mode.NONE;
            case "auto" -> ToolChoice.Mode.AUTO;
            default -> throw ErrorKind.INVALID_REQUEST.exception("tool_choice.type",
                    "'tool_choice.type' must be auto, any, tool or none, not '" + type + "'.");
        };
        String name = mode == ToolChoice.Mode.NAMED ? JsonFields.string(choice, "name") : null;
        if (mode == ToolChoice.Mode.NAMED && name == null) {
            throw ErrorKind.INVALID_REQUEST.exception("tool_choice.name", "'tool_choice.name' is required.");
        }
        return new ToolChoice(mode, name, parallel);
    }

    private static ResponseFormat responseFormat(JsonObject outputConfig) {
        JsonObject format = JsonFields.object(outputConfig, "format");
        if (format == null) {
            return ResponseFormat.TEXT;
        }
        JsonObject schema = JsonFields.object(format, "schema");
        if ("json_schema".equals(JsonFields.string(format, "type")) && schema != null) {
            return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, FORMAT_NAME, schema, true, null);
        }
        throw ErrorKind.UNSUPPORTED_PARAMETER.exception("output_config.format",
                "'output_config.format' must be {\"type\":\"json_schema\",\"schema\":{…}}.");
    }
}
