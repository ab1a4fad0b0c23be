package dev.switchboard.chat;

import dev.switchboard.error.GatewayError;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.Protocol;
import dev.switchboard.llm.StreamEncoder;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEncoder;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The Chat Completions door's wire format for answers (docs/protocols/openai-chat.md §6, §7):
 * {@code chat.completion} bodies, unnamed {@code chat.completion.chunk} events ended by
 * {@code data: [DONE]}, and OpenAI's {@code {"error":{…}}}. Shared and stateless; one per value of
 * {@code include_usage}.
 */
public final class ChatFormat implements ClientFormat {
    static final ChatFormat WITH_USAGE = new ChatFormat(true);
    static final ChatFormat WITHOUT_USAGE = new ChatFormat(false);

    private final boolean includeUsage;

    private ChatFormat(boolean includeUsage) {
        this.includeUsage = includeUsage;
    }

    /** The format of a request that did, or did not, ask for {@code stream_options.include_usage}. */
    public static ChatFormat of(boolean includeUsage) {
        return includeUsage ? WITH_USAGE : WITHOUT_USAGE;
    }

    @Override
    public Protocol protocol() {
        return Protocol.CHAT;
    }

    @Override
    public StreamEncoder streamEncoder(String requestId) {
        return new ChatStreamEncoder(System.currentTimeMillis() / 1000, includeUsage);
    }

    /** Every choice of the reply, the {@link LlmResponse#alternatives} after the first. */
    @Override
    public byte[] response(LlmResponse response, String requestId) {
        List<Choice> choices = new ArrayList<>(1 + response.alternatives().size());
        choices.add(choice(0, response.content(), response.finish()));
        for (LlmResponse.Alternative alternative : response.alternatives()) {
            choices.add(choice(choices.size(), alternative.content(), alternative.finish()));
        }
        ChatJson json = new ChatJson(response.id(), System.currentTimeMillis() / 1000, response.model(), false);
        return json.completion(choices, response.usage() == null ? Usage.NONE : response.usage());
    }

    private static Choice choice(int index, List<Content> content, FinishReason finish) {
        StringBuilder text = null;
        StringBuilder reasoning = null;
        List<ToolCall> calls = new ArrayList<>();
        for (Content block : content) {
            if (block instanceof Content.Text t) {
                text = (text == null ? new StringBuilder() : text).append(t.text());
            } else if (block instanceof Content.Reasoning r && r.text() != null) {
                reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(r.text());
            } else if (block instanceof Content.FunctionCall call) {
                calls.add(new ToolCall(call.id(), call.name(), call.arguments()));
            }
        }
        return new Choice(index, text == null ? null : text.toString(),
                reasoning == null ? null : reasoning.toString(), calls, finishReason(finish));
    }

    /** OpenAI's spelling of a finish reason (docs/protocols/openai-chat.md §6.1). */
    static String finishReason(FinishReason reason) {
        return switch (reason == null ? FinishReason.STOP : reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }

    @Override
    public byte[] streamTrailer() {
        return SseEncoder.DONE;
    }

    @Override
    public boolean carriesToken(SseEvent event) {
        return ChunkContent.carriesToken(event.data());
    }

    /** {@code delta.content}, {@code reasoning_content} and tool calls' names and arguments of every choice. */
    @Override
    public void generatedText(byte[] data, StringBuilder out) {
        JsonObject chunk;
        try {
            chunk = Json.parseObject(data);
        } catch (RuntimeException e) {
            return;
        }
        JsonArray choices = JsonFields.array(chunk, "choices");
        if (choices == null) {
            return;
        }
        for (JsonValue choice : choices) {
            JsonObject delta = choice instanceof JsonObject c ? JsonFields.object(c, "delta") : null;
            if (delta == null) {
                continue;
            }
            append(out, JsonFields.string(delta, "content"));
            append(out, JsonFields.string(delta, "reasoning_content"));
            JsonArray calls = JsonFields.array(delta, "tool_calls");
            for (JsonValue call : calls == null ? JsonValue.EMPTY_JSON_ARRAY : calls) {
                JsonObject function = call instanceof JsonObject c ? JsonFields.object(c, "function") : null;
                append(out, JsonFields.string(function, "name"));
                append(out, JsonFields.string(function, "arguments"));
            }
        }
    }

    private static void append(StringBuilder out, String text) {
        if (text != null) {
            out.append(text);
        }
    }

    @Override
    public byte[] errorBody(GatewayError error, String requestId) {
        return error.toJson();
    }

    @Override
    public SseEvent errorEvent(GatewayError error, String requestId, long eventsSent) {
        return SseEvent.of(error.toJson());
    }
}
