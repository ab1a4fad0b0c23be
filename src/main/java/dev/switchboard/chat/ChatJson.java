package dev.switchboard.chat;

import dev.switchboard.json.Json;
import dev.switchboard.llm.Usage;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes OpenAI's response objects: {@code chat.completion} and {@code chat.completion.chunk}
 * (docs/protocols/openai-chat.md §6). One instance per response, holding what every chunk repeats ({@code id},
 * {@code created}, {@code model}); every chunk it writes therefore carries the same three values.
 * Not thread-safe: a stream's chunks are produced in order by one translator.
 */
public final class ChatJson {
    private final String id;
    private final long created;
    private final String model;
    private final boolean usageField;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);

    /**
     * @param usageField when the client asked for {@code include_usage}, every chunk but the
     *     usage-only one carries {@code "usage": null}, as OpenAI's own stream does
     */
    public ChatJson(String id, long created, String model, boolean usageField) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.usageField = usageField;
    }

    public String id() {
        return id;
    }

    public String model() {
        return model;
    }

    /** The first chunk of a choice: {@code delta: {"role":"assistant","content":""}}. */
    public byte[] roleChunk(int choice) {
        return chunk(choice, g -> g.write("role", "assistant").write("content", ""), null);
    }

    public byte[] contentChunk(int choice, String text) {
        return chunk(choice, g -> g.write("content", text), null);
    }

    /** Thinking text in the non-standard {@code reasoning_content} delta (as DeepSeek and LiteLLM emit it). */
    public byte[] reasoningChunk(int choice, String text) {
        return chunk(choice, g -> g.write("reasoning_content", text), null);
    }

    /** The first fragment of a tool call: index, id, type, name and the given arguments (often ""). */
    public byte[] toolCallStartChunk(int choice, int index, String callId, String name, String arguments) {
        return chunk(choice, g -> {
            g.writeStartArray("tool_calls").writeStartObject()
                    .write("index", index).write("id", callId).write("type", "function")
                    .writeStartObject("function").write("name", name).write("arguments", arguments).writeEnd()
                    .writeEnd().writeEnd();
        }, null);
    }

    /** A later fragment of a tool call's arguments, to be appended by the client. */
    public byte[] toolCallArgumentsChunk(int choice, int index, String fragment) {
        return chunk(choice, g -> {
            g.writeStartArray("tool_calls").writeStartObject()
                    .write("index", index)
                    .writeStartObject("function").write("arguments", fragment).writeEnd()
                    .writeEnd().writeEnd();
        }, null);
    }

    /** The last chunk of a choice: empty delta and the finish reason. */
    public byte[] finishChunk(int choice, String finishReason) {
        return chunk(choice, g -> { }, finishReason);
    }

    /** The usage-only chunk sent after all choices finished when {@code include_usage} is set. */
    public byte[] usageChunk(Usage usage) {
        buffer.reset();
        try (JsonGenerator g = Json.generator(buffer)) {
            g.writeStartObject();
            writeHead(g, "chat.completion.chunk");
            g.writeStartArray("choices").writeEnd();
            writeUsage(g, usage);
            g.writeEnd();
        }
        return buffer.toByteArray();
    }

    private byte[] chunk(int choice, Consumer<JsonGenerator> delta, String finishReason) {
        buffer.reset();
        try (JsonGenerator g = Json.generator(buffer)) {
            g.writeStartObject();
            writeHead(g, "chat.completion.chunk");
            g.writeStartArray("choices").writeStartObject().write("index", choice);
            g.writeStartObject("delta");
            delta.accept(g);
            g.writeEnd();
            g.writeNull("logprobs");
            if (finishReason == null) {
                g.writeNull("finish_reason");
            } else {
                g.write("finish_reason", finishReason);
            }
            g.writeEnd().writeEnd();
            if (usageField) {
                g.writeNull("usage");
            }
            g.writeEnd();
        }
        return buffer.toByteArray();
    }

    /** A whole non-streaming {@code chat.completion}. */
    public byte[] completion(List<Choice> choices, Usage usage) {
        buffer.reset();
        try (JsonGenerator g = Json.generator(buffer)) {
            g.writeStartObject();
            writeHead(g, "chat.completion");
            g.writeStartArray("choices");
            for (Choice choice : choices) {
                g.writeStartObject().write("index", choice.index());
                g.writeStartObject("message").write("role", "assistant");
                if (choice.content() == null) {
                    g.writeNull("content");
                } else {
                    g.write("content", choice.content());
                }
                g.writeNull("refusal");
                if (choice.reasoning() != null) {
                    g.write("reasoning_content", choice.reasoning());
                }
                if (!choice.toolCalls().isEmpty()) {
                    g.writeStartArray("tool_calls");
                    for (ToolCall call : choice.toolCalls()) {
                        g.writeStartObject().write("id", call.id()).write("type", "function")
                                .writeStartObject("function").write("name", call.name())
                                .write("arguments", call.arguments()).writeEnd().writeEnd();
                    }
                    g.writeEnd();
                }
                g.writeEnd();
                g.writeNull("logprobs");
                g.write("finish_reason", choice.finishReason());
                g.writeEnd();
            }
            g.writeEnd();
            writeUsage(g, usage);
            g.writeEnd();
        }
        return buffer.toByteArray();
    }

    private void writeHead(JsonGenerator g, String object) {
        g.write("id", id).write("object", object).write("created", created).write("model", model);
    }

    private static void writeUsage(JsonGenerator g, Usage usage) {
        g.writeStartObject("usage")
                .write("prompt_tokens", usage.promptTokens())
                .write("completion_tokens", usage.completionTokens())
                .write("total_tokens", usage.totalTokens());
        g.writeStartObject("prompt_tokens_details").write("cached_tokens", usage.cachedTokens()).writeEnd();
        g.writeStartObject("completion_tokens_details").write("reasoning_tokens", usage.reasoningTokens()).writeEnd();
        g.writeEnd();
    }
}
