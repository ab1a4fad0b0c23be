package dev.switchboard.ingress.responses;

import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.Usage;
import jakarta.json.stream.JsonGenerator;
import java.util.List;

/**
 * Writes the Responses {@code response} object and its output items
 * (docs/protocols/openai-responses.md §3), for whole replies and the stream's
 * {@code response.*} events alike. Per reply.
 */
final class ResponsesJson {
    /** One output item as it grows. */
    static final class Item {
        enum Type { MESSAGE, REASONING, FUNCTION_CALL }

        final Type type;
        final String id;
        final String callId;
        final String name;
        final StringBuilder text = new StringBuilder();
        String encrypted;
        boolean done;

        Item(Type type, String id, String callId, String name) {
            this.type = type;
            this.id = id;
            this.callId = callId;
            this.name = name;
        }
    }

    private ResponsesJson() {
    }

    /** Responses' status of a reply that ended for {@code reason}: cut short is {@code incomplete} (§7). */
    static String status(FinishReason reason) {
        return reason == FinishReason.LENGTH || reason == FinishReason.CONTENT_FILTER ? "incomplete" : "completed";
    }

    static void writeResponse(JsonGenerator g, String name, String id, String model, long createdAt, String status,
                              FinishReason reason, List<Item> output, Usage usage, String errorCode, String errorMessage) {
        if (name == null) {
            g.writeStartObject();
        } else {
            g.writeStartObject(name);
        }
        g.write("id", id).write("object", "response").write("created_at", createdAt).write("status", status);
        if (errorMessage == null) {
            g.writeNull("error");
        } else {
            g.writeStartObject("error").write("code", errorCode).write("message", errorMessage).writeEnd();
        }
        if ("incomplete".equals(status)) {
            g.writeStartObject("incomplete_details").write("reason",
                    reason == FinishReason.CONTENT_FILTER ? "content_filter" : "max_output_tokens").writeEnd();
        } else {
            g.writeNull("incomplete_details");
        }
        g.writeNull("instructions").write("model", model);
        g.writeStartArray("output");
        for (Item item : output) {
            writeItem(g, null, item);
        }
        g.writeEnd();
        g.write("parallel_tool_calls", true).writeStartObject("metadata").writeEnd()
                .write("tool_choice", "auto").writeStartArray("tools").writeEnd()
                .writeNull("temperature").writeNull("top_p").write("store", false);
        if (usage == null) {
            g.writeNull("usage");
        } else {
            writeUsage(g, usage);
        }
        g.writeEnd();
    }

    static void writeItem(JsonGenerator g, String name, Item item) {
        if (name == null) {
            g.writeStartObject();
        } else {
            g.writeStartObject(name);
        }
        String status = item.done ? "completed" : "in_progress";
        switch (item.type) {
            case MESSAGE -> {
                g.write("type", "message").write("id", item.id).write("status", status).write("role", "assistant");
                g.writeStartArray("content");
                if (item.done) {
                    writeTextPart(g, null, item.text.toString());
                }
                g.writeEnd();
            }
            case REASONING -> {
                g.write("type", "reasoning").write("id", item.id);
                g.writeStartArray("summary");
                if (item.done && !item.text.isEmpty()) {
                    g.writeStartObject().write("type", "summary_text").write("text", item.text.toString()).writeEnd();
                }
                g.writeEnd();
                if (item.encrypted != null) {
                    g.write("encrypted_content", item.encrypted);
                }
            }
            case FUNCTION_CALL -> g.write("type", "function_call").write("id", item.id).write("call_id", item.callId)
                    .write("name", item.name).write("arguments", item.done ? item.text.toString() : "")
                    .write("status", status);
        }
        g.writeEnd();
    }

    static void writeTextPart(JsonGenerator g, String name, String text) {
        if (name == null) {
            g.writeStartObject();
        } else {
            g.writeStartObject(name);
        }
        g.write("type", "output_text").write("text", text).writeStartArray("annotations").writeEnd().writeEnd();
    }

    /** Responses' usage (§3): input includes cached tokens, output reasoning ones. */
    static void writeUsage(JsonGenerator g, Usage usage) {
        g.writeStartObject("usage")
                .write("input_tokens", usage.promptTokens())
                .writeStartObject("input_tokens_details").write("cached_tokens", usage.cachedTokens())
                .write("cache_write_tokens", usage.cacheWriteTokens()).writeEnd()
                .write("output_tokens", usage.completionTokens())
                .writeStartObject("output_tokens_details").write("reasoning_tokens", usage.reasoningTokens()).writeEnd()
                .write("total_tokens", usage.totalTokens())
                .writeEnd();
    }
}
