package dev.switchboard.provider.anthropic;

import dev.switchboard.chat.ChatJson;
import dev.switchboard.chat.Choice;
import dev.switchboard.chat.ToolCall;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.CompletionBody;
import dev.switchboard.provider.http.UpstreamErrors;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Anthropic {@code Message} as an OpenAI {@code chat.completion}
 * (docs/protocols/openai-to-anthropic.md §5). Pure; shared and stateless.
 * <ul>
 * <li>{@code text} blocks are concatenated into {@code content}, which is null when there is none;
 * <li>{@code thinking} blocks go to the non-standard {@code reasoning_content} (LiteLLM's and
 *     DeepSeek's field); {@code redacted_thinking} has no readable text and is left out;
 * <li>{@code tool_use} blocks become {@code tool_calls} with the input as a JSON string;
 * <li>in JSON mode the {@link JsonMode#TOOL_NAME} call's input is the {@code content} instead;
 * <li>server-tool blocks ({@code server_tool_use}, {@code web_search_tool_result} …) are left out:
 *     the client would try to execute a tool call it did not declare.
 * </ul>
 */
final class CompletionTranslator {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionTranslator.class);

    private CompletionTranslator() {
    }

    /**
     * @param providerId who to name when the reply cannot be read
     * @param fallbackModel the model id to report if the reply does not name one
     * @param created the {@code created} timestamp, in Unix seconds
     * @param jsonMode whether the request used the JSON-mode tool
     * @throws GatewayException a non-retryable 502 when the body is not a readable Message (a
     *     proxy's page sent with a 200, a truncated reply)
     */
    static CompletionBody translate(String providerId, byte[] body, int length, String fallbackModel, long created,
                                    boolean jsonMode) {
        try {
            return read(body, length, fallbackModel, created, jsonMode);
        } catch (GatewayException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("unreadable reply from provider '{}': {}", providerId, e.toString());
            throw new GatewayException(UpstreamErrors.unreadable(providerId, "a reply"));
        }
    }

    private static CompletionBody read(byte[] body, int length, String fallbackModel, long created, boolean jsonMode) {
        JsonObject message = Json.parseObject(body, 0, length);
        StringBuilder content = new StringBuilder();
        boolean hasContent = false;
        StringBuilder reasoning = new StringBuilder();
        boolean hasReasoning = false;
        List<ToolCall> toolCalls = new ArrayList<>();
        JsonArray blocks = JsonFields.array(message, "content");
        for (JsonValue value : blocks == null ? JsonValue.EMPTY_JSON_ARRAY : blocks) {
            JsonObject block = value.asJsonObject();
            switch (JsonFields.string(block, "type") == null ? "" : block.getString("type")) {
                case "text" -> {
                    content.append(java.util.Objects.toString(JsonFields.string(block, "text"), ""));
                    hasContent = true;
                }
                case "thinking" -> {
                    reasoning.append(java.util.Objects.toString(JsonFields.string(block, "thinking"), ""));
                    hasReasoning = true;
                }
                case "tool_use" -> {
                    JsonObject input = JsonFields.object(block, "input");
                    String arguments = new String(Json.write(input == null ? JsonValue.EMPTY_JSON_OBJECT : input),
                            java.nio.charset.StandardCharsets.UTF_8);
                    if (jsonMode && JsonMode.TOOL_NAME.equals(JsonFields.string(block, "name"))) {
                        content.append(arguments);
                        hasContent = true;
                    } else {
                        toolCalls.add(new ToolCall(block.getString("id"), block.getString("name"), arguments));
                    }
                }
                default -> {
                    // redacted_thinking, server-tool blocks and future block types.
                }
            }
        }
        String model = JsonFields.string(message, "model");
        ChatJson json = new ChatJson(message.getString("id"), created, model == null ? fallbackModel : model, false);
        Choice choice = new Choice(0, hasContent ? content.toString() : null, hasReasoning ? reasoning.toString() : null,
                toolCalls, FinishReasons.map(JsonFields.string(message, "stop_reason"), toolCalls.size()));
        Usage usage = new UsageTally().update(JsonFields.object(message, "usage")).toUsage();
        return new CompletionBody(json.completion(List.of(choice), usage == null ? Usage.NONE : usage), usage);
    }
}
