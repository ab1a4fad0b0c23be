package dev.switchboard.provider.anthropic;

import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.provider.http.UpstreamErrors;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Anthropic {@code Message} as a reply in the internal model
 * (docs/protocols/anthropic-messages.md §5): text, thinking with its signature, redacted thinking
 * ({@link Content.Reasoning#redacted}) and tool calls, in order; in JSON mode the
 * {@link JsonMode#TOOL_NAME} call's input is text; server-tool blocks are left out, as in the
 * stream ({@link MessageStreamDecoder}). Pure; shared and stateless.
 */
final class MessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(MessageDecoder.class);

    private MessageDecoder() {
    }

    /**
     * @throws GatewayException a non-retryable 502 when the body is not a readable Message
     */
    static LlmResponse decode(String providerId, byte[] body, int length, String fallbackModel, boolean jsonMode) {
        try {
            return read(body, length, fallbackModel, jsonMode);
        } catch (GatewayException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("unreadable reply from provider '{}': {}", providerId, e.toString());
            throw new GatewayException(UpstreamErrors.unreadable(providerId, "a reply"));
        }
    }

    private static LlmResponse read(byte[] body, int length, String fallbackModel, boolean jsonMode) {
        JsonObject message = Json.parseObject(body, 0, length);
        List<Content> content = new ArrayList<>();
        int toolCalls = 0;
        JsonArray blocks = JsonFields.array(message, "content");
        for (int i = 0; blocks != null && i < blocks.size(); i++) {
            JsonObject block = blocks.getJsonObject(i);
            String path = "content[" + i + "]";
            switch (Objects.toString(JsonFields.string(block, "type"), "")) {
                case "text" -> content.add(new Content.Text(Objects.toString(JsonFields.string(block, "text"), ""),
                        null, path));
                case "thinking" -> content.add(new Content.Reasoning(
                        Objects.toString(JsonFields.string(block, "thinking"), ""), JsonFields.string(block, "signature"),
                        LlmBlocks.ORIGIN, path));
                case "redacted_thinking" -> content.add(Content.Reasoning.redacted(
                        Objects.toString(JsonFields.string(block, "data"), ""), LlmBlocks.ORIGIN, path));
                case "tool_use" -> {
                    JsonObject input = JsonFields.object(block, "input");
                    String arguments = new String(Json.write(input == null ? JsonValue.EMPTY_JSON_OBJECT : input),
                            StandardCharsets.UTF_8);
                    if (jsonMode && JsonMode.TOOL_NAME.equals(JsonFields.string(block, "name"))) {
                        content.add(new Content.Text(arguments, null, path));
                    } else {
                        toolCalls++;
                        content.add(new Content.FunctionCall(block.getString("id"), block.getString("name"), arguments,
                                path));
                    }
                }
                default -> {
                    // server-tool blocks and block types added later.
                }
            }
        }
        String model = JsonFields.string(message, "model");
        return new LlmResponse(message.getString("id"), model == null ? fallbackModel : model, content,
                MessageStreamDecoder.reason(JsonFields.string(message, "stop_reason"), toolCalls),
                new UsageTally().update(JsonFields.object(message, "usage")).toUsage());
    }
}
