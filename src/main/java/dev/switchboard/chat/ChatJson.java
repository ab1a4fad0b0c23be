package dev.switchboard.chat;

import dev.switchboard.json.Json;
import dev.switchboard.json.JsonBuffer;
import dev.switchboard.llm.Usage;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes OpenAI's response objects: {@code chat.completion} and {@code chat.completion.chunk}
 * (docs/protocols/openai-chat.md §6). One instance per response, holding what every chunk repeats ({@code id},
 * {@code created}, {@code model}); every chunk it writes therefore carries the same three values.
 * Not thread-safe: a stream's chunks are produced in order by one translator.
 */
public final class ChatJson {
    /** A chunk fits most times: about 200 bytes of head and tail, and a delta's text. */
    private static final int CHUNK_BYTES = 512;

    // A chunk's fixed parts, as the generator writes them (ChatJsonTest compares the two).
    private static final byte[] HEAD_ID = ascii("{\"id\":");
    private static final byte[] HEAD_CREATED = ascii(",\"object\":\"chat.completion.chunk\",\"created\":");
    private static final byte[] HEAD_MODEL = ascii(",\"model\":");
    private static final byte[] HEAD_CHOICE_INDEX = ascii(",\"choices\":[{\"index\":");
    private static final byte[] ROLE_DELTA = ascii(",\"delta\":{\"role\":\"assistant\",\"content\":\"\"}");
    private static final byte[] CONTENT_DELTA = ascii(",\"delta\":{\"content\":");
    private static final byte[] REASONING_DELTA = ascii(",\"delta\":{\"reasoning_content\":");
    private static final byte[] TOOL_CALL_DELTA = ascii(",\"delta\":{\"tool_calls\":[{\"index\":");
    private static final byte[] TOOL_CALL_ID = ascii(",\"id\":");
    private static final byte[] TOOL_CALL_NAME = ascii(",\"type\":\"function\",\"function\":{\"name\":");
    private static final byte[] TOOL_CALL_ARGUMENTS = ascii(",\"arguments\":");
    private static final byte[] TOOL_CALL_MORE_ARGUMENTS = ascii(",\"function\":{\"arguments\":");
    private static final byte[] TOOL_CALL_END = ascii("}}]");
    private static final byte[] NO_FINISH = ascii(",\"logprobs\":null,\"finish_reason\":null}]");
    private static final byte[] NO_FINISH_AFTER_DELTA = ascii("},\"logprobs\":null,\"finish_reason\":null}]");
    private static final byte[] EMPTY_DELTA_FINISH = ascii(",\"delta\":{},\"logprobs\":null,\"finish_reason\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] CHOICE_END = ascii("}]");
    private static final byte[] END = ascii("}");
    private static final byte[] END_WITH_USAGE = ascii(",\"usage\":null}");

    private final String id;
    private final long created;
    private final String model;
    private final boolean usageField;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    /** Where chunks are written, and the head they repeat; made at the first chunk. */
    private JsonBuffer chunks;
    private byte[] chunkHead;

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
        return chunk(choice).raw(ROLE_DELTA).raw(NO_FINISH).raw(chunkEnd()).toByteArray();
    }

    public byte[] contentChunk(int choice, String text) {
        return chunk(choice).raw(CONTENT_DELTA).string(text).raw(NO_FINISH_AFTER_DELTA).raw(chunkEnd()).toByteArray();
    }

    /** Thinking text in the non-standard {@code reasoning_content} delta (as DeepSeek and LiteLLM emit it). */
    public byte[] reasoningChunk(int choice, String text) {
        return chunk(choice).raw(REASONING_DELTA).string(text).raw(NO_FINISH_AFTER_DELTA).raw(chunkEnd())
                .toByteArray();
    }

    /** The first fragment of a tool call: index, id, type, name and the given arguments (often ""). */
    public byte[] toolCallStartChunk(int choice, int index, String callId, String name, String arguments) {
        return chunk(choice).raw(TOOL_CALL_DELTA).number(index).raw(TOOL_CALL_ID).string(callId)
                .raw(TOOL_CALL_NAME).string(name).raw(TOOL_CALL_ARGUMENTS).string(arguments)
                .raw(TOOL_CALL_END).raw(NO_FINISH_AFTER_DELTA).raw(chunkEnd()).toByteArray();
    }

    /** A later fragment of a tool call's arguments, to be appended by the client. */
    public byte[] toolCallArgumentsChunk(int choice, int index, String fragment) {
        return chunk(choice).raw(TOOL_CALL_DELTA).number(index).raw(TOOL_CALL_MORE_ARGUMENTS).string(fragment)
                .raw(TOOL_CALL_END).raw(NO_FINISH_AFTER_DELTA).raw(chunkEnd()).toByteArray();
    }

    /** The last chunk of a choice: empty delta and the finish reason. */
    public byte[] finishChunk(int choice, String finishReason) {
        JsonBuffer chunk = chunk(choice).raw(EMPTY_DELTA_FINISH);
        if (finishReason == null) {
            chunk.raw(NULL);
        } else {
            chunk.string(finishReason);
        }
        return chunk.raw(CHOICE_END).raw(chunkEnd()).toByteArray();
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

    /**
     * A chunk written up to its choice's index: the head every chunk repeats, encoded once per
     * response, in the order and spelling the generator gives the usage chunk and the completion.
     */
    private JsonBuffer chunk(int choice) {
        if (chunks == null) {
            chunks = new JsonBuffer(CHUNK_BYTES);
            chunkHead = chunks.raw(HEAD_ID).string(id).raw(HEAD_CREATED).number(created).raw(HEAD_MODEL).string(model)
                    .raw(HEAD_CHOICE_INDEX).toByteArray();
        }
        return chunks.reset().raw(chunkHead).number(choice);
    }

    private byte[] chunkEnd() {
        return usageField ? END_WITH_USAGE : END;
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

    private static byte[] ascii(String json) {
        return json.getBytes(StandardCharsets.US_ASCII);
    }
}
