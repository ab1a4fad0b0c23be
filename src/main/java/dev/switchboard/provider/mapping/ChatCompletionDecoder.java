package dev.switchboard.provider.mapping;

import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.Usage;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code chat.completion} as a whole reply in the internal model (docs/protocols/openai-chat.md
 * §6.1): the first choice's reasoning ({@code reasoning_content}), text and tool calls, in that
 * order, and its finish reason. Stateless.
 */
public final class ChatCompletionDecoder {
    private ChatCompletionDecoder() {
    }

    /** @param usage the reply's usage as the connector read it, or null */
    public static LlmResponse decode(byte[] json, Usage usage) {
        JsonObject completion = Json.parseObject(json);
        List<Content> content = new ArrayList<>();
        FinishReason finish = FinishReason.STOP;
        JsonArray choices = JsonFields.array(completion, "choices");
        if (choices != null && !choices.isEmpty() && choices.get(0) instanceof JsonObject choice) {
            JsonObject message = JsonFields.object(choice, "message");
            String reasoning = JsonFields.string(message, "reasoning_content");
            if (reasoning != null && !reasoning.isEmpty()) {
                content.add(new Content.Reasoning(reasoning, null, null, "choices[0].message.reasoning_content"));
            }
            String text = JsonFields.string(message, "content");
            if (text != null) {
                content.add(new Content.Text(text, null, "choices[0].message.content"));
            }
            JsonArray calls = JsonFields.array(message, "tool_calls");
            for (int i = 0; calls != null && i < calls.size(); i++) {
                if (calls.get(i) instanceof JsonObject call) {
                    JsonObject function = JsonFields.object(call, "function");
                    String arguments = JsonFields.string(function, "arguments");
                    content.add(new Content.FunctionCall(JsonFields.string(call, "id"),
                            JsonFields.string(function, "name"), arguments == null ? "{}" : arguments,
                            "choices[0].message.tool_calls[" + i + "]"));
                }
            }
            String reason = JsonFields.string(choice, "finish_reason");
            finish = reason == null ? FinishReason.STOP : ChatChunkDecoder.reason(reason);
        }
        String id = JsonFields.string(completion, "id");
        String model = JsonFields.string(completion, "model");
        return new LlmResponse(id == null ? "" : id, model == null ? "" : model, content, finish, usage);
    }

}
