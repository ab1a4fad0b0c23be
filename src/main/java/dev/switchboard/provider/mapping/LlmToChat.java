package dev.switchboard.provider.mapping;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Message;
import dev.switchboard.llm.ResponseFormat;
import dev.switchboard.llm.Tool;
import dev.switchboard.llm.ToolChoice;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * A request in the internal model as a Chat Completions body (docs/protocols/openai-chat.md §2–§4;
 * the Chat column of docs/protocols/anthropic-messages-ingress.md §7 and
 * docs/protocols/openai-responses.md §7): what an OpenAI-compatible provider is sent for a
 * Messages or Responses request (docs/architecture.md, "As built"), and what the echo connector
 * answers. Stateless.
 *
 * <ul>
 * <li>System blocks become one system message of text parts; tool results become {@code tool}
 *     messages, ahead of the rest of their user turn; an assistant's text and tool calls one
 *     assistant message.</li>
 * <li>Images become {@code image_url} parts (a data URL or the URL), PDFs {@code file} parts,
 *     text documents text parts.</li>
 * <li>{@code cache_control} is dropped, and a tool result keeps only its text: OpenAI has no
 *     {@code cache_control} and takes text-only tool results.</li>
 * <li>Reasoning from earlier turns has no Chat field and is dropped; blocks only their own
 *     protocol knows are a 400 naming them.</li>
 * <li>An end-user id longer than {@link #MAX_USER} characters is dropped (Claude Code's is a JSON
 *     document); OpenAI's {@code safety_identifier} takes 64.</li>
 * </ul>
 */
public final class LlmToChat {
    /** Longest end-user id passed on as {@code user}. */
    static final int MAX_USER = 64;

    private LlmToChat() {
    }

    /** @throws dev.switchboard.error.GatewayException (400) naming a block Chat cannot carry */
    public static JsonObject map(LlmRequest request) {
        JsonObjectBuilder body = Json.PROVIDER.createObjectBuilder().add("model", request.model());
        JsonArrayBuilder messages = Json.PROVIDER.createArrayBuilder();
        if (!request.system().isEmpty()) {
            JsonArrayBuilder parts = Json.PROVIDER.createArrayBuilder();
            for (Content.Text text : request.system()) {
                parts.add(textPart(text));
            }
            messages.add(Json.PROVIDER.createObjectBuilder().add("role", "system").add("content", parts));
        }
        for (Message message : request.messages()) {
            if (message.role() == Message.Role.ASSISTANT) {
                assistant(message, messages);
            } else {
                user(message, messages);
            }
        }
        body.add("messages", messages);
        if (!request.tools().isEmpty()) {
            JsonArrayBuilder tools = Json.PROVIDER.createArrayBuilder();
            for (Tool tool : request.tools()) {
                JsonObjectBuilder function = Json.PROVIDER.createObjectBuilder().add("name", tool.name());
                if (tool.description() != null) {
                    function.add("description", tool.description());
                }
                if (tool.schema() != null) {
                    function.add("parameters", tool.schema());
                }
                tools.add(Json.PROVIDER.createObjectBuilder().add("type", "function").add("function", function));
            }
            body.add("tools", tools);
            toolChoice(request.toolChoice(), body);
        } else if (request.toolChoice().mode() == ToolChoice.Mode.NONE) {
            body.add("tool_choice", "none");
        }
        responseFormat(request.responseFormat(), body);
        if (request.effort() != null) {
            body.add("reasoning_effort", request.effort());
        }
        if (request.maxOutputTokens() != null) {
            body.add("max_completion_tokens", request.maxOutputTokens());
        }
        if (request.temperature() != null) {
            body.add("temperature", request.temperature());
        }
        if (request.topP() != null) {
            body.add("top_p", request.topP());
        }
        if (!request.stop().isEmpty()) {
            JsonArrayBuilder stop = Json.PROVIDER.createArrayBuilder();
            request.stop().forEach(stop::add);
            body.add("stop", stop);
        }
        if (request.user() != null && !request.user().isBlank() && request.user().length() <= MAX_USER) {
            body.add("user", request.user());
        }
        if (request.stream()) {
            body.add("stream", true);
            body.add("stream_options", Json.PROVIDER.createObjectBuilder().add("include_usage", true));
        }
        return body.build();
    }

    private static void toolChoice(ToolChoice choice, JsonObjectBuilder body) {
        switch (choice.mode()) {
            case AUTO -> { }
            case NONE -> body.add("tool_choice", "none");
            case REQUIRED -> body.add("tool_choice", "required");
            case NAMED -> body.add("tool_choice", Json.PROVIDER.createObjectBuilder().add("type", "function")
                    .add("function", Json.PROVIDER.createObjectBuilder().add("name", choice.name())));
        }
        if (!choice.parallel()) {
            body.add("parallel_tool_calls", false);
        }
    }

    private static void responseFormat(ResponseFormat format, JsonObjectBuilder body) {
        switch (format.kind()) {
            case TEXT -> { }
            case JSON -> body.add("response_format", Json.PROVIDER.createObjectBuilder().add("type", "json_object"));
            case JSON_SCHEMA -> {
                JsonObjectBuilder schema = Json.PROVIDER.createObjectBuilder()
                        .add("name", format.name() == null ? "output" : format.name()).add("schema", format.schema());
                if (format.strict()) {
                    schema.add("strict", true);
                }
                if (format.description() != null) {
                    schema.add("description", format.description());
                }
                body.add("response_format", Json.PROVIDER.createObjectBuilder().add("type", "json_schema")
                        .add("json_schema", schema));
            }
        }
    }

    private static void assistant(Message message, JsonArrayBuilder messages) {
        List<String> texts = new ArrayList<>();
        JsonArrayBuilder calls = null;
        for (Content block : message.content()) {
            if (block instanceof Content.Text t) {
                texts.add(t.text());
            } else if (block instanceof Content.FunctionCall call) {
                calls = calls == null ? Json.PROVIDER.createArrayBuilder() : calls;
                calls.add(Json.PROVIDER.createObjectBuilder().add("id", call.id()).add("type", "function")
                        .add("function", Json.PROVIDER.createObjectBuilder().add("name", call.name())
                                .add("arguments", call.arguments())));
            } else if (!(block instanceof Content.Reasoning)) {
                throw unsupported(block, "an assistant turn");
            }
        }
        JsonObjectBuilder out = Json.PROVIDER.createObjectBuilder().add("role", "assistant");
        if (texts.size() == 1) {
            out.add("content", texts.get(0));
        } else if (texts.size() > 1) {
            // Text parts, so that blocks stay apart as the client sent them.
            JsonArrayBuilder parts = Json.PROVIDER.createArrayBuilder();
            texts.forEach(text -> parts.add(Json.PROVIDER.createObjectBuilder().add("type", "text").add("text", text)));
            out.add("content", parts);
        } else {
            out.addNull("content");
        }
        if (calls != null) {
            out.add("tool_calls", calls);
        }
        if (!texts.isEmpty() || calls != null) {
            messages.add(out);
        }
    }

    private static void user(Message message, JsonArrayBuilder messages) {
        List<JsonObject> parts = new ArrayList<>();
        for (Content block : message.content()) {
            if (block instanceof Content.ToolResult result) {
                messages.add(Json.PROVIDER.createObjectBuilder().add("role", "tool")
                        .add("tool_call_id", result.callId()).add("content", toolContent(result)));
            } else if (!(block instanceof Content.Reasoning)) {
                parts.add(part(block));
            }
        }
        if (!parts.isEmpty()) {
            JsonArrayBuilder content = Json.PROVIDER.createArrayBuilder();
            parts.forEach(content::add);
            messages.add(Json.PROVIDER.createObjectBuilder().add("role", "user").add("content", content));
        }
    }

    /**
     * A tool result's content: its text, or, when it has several blocks, text parts, so that
     * blocks stay apart. Chat has no error flag: an error result says so in its text.
     */
    private static jakarta.json.JsonValue toolContent(Content.ToolResult result) {
        String prefix = result.error() ? "Error: " : "";
        if (result.content().size() <= 1 && (result.content().isEmpty() || result.content().get(0) instanceof Content.Text)) {
            return Json.PROVIDER.createValue(prefix + result.text());
        }
        JsonArrayBuilder parts = Json.PROVIDER.createArrayBuilder();
        for (Content part : result.content()) {
            if (part instanceof Content.Text text) {
                parts.add(Json.PROVIDER.createObjectBuilder().add("type", "text").add("text", prefix + text.text()));
                prefix = "";
            }
        }
        return parts.build();
    }

    private static JsonObject part(Content block) {
        if (block instanceof Content.Text text) {
            return textPart(text);
        }
        if (block instanceof Content.Image image) {
            String url = image.url() != null ? image.url() : "data:" + image.mediaType() + ";base64," + image.data();
            return Json.PROVIDER.createObjectBuilder().add("type", "image_url")
                    .add("image_url", Json.PROVIDER.createObjectBuilder().add("url", url)).build();
        }
        if (block instanceof Content.Document document) {
            if (document.text() != null) {
                return textPart(new Content.Text(document.text(), null, document.path()));
            }
            if (document.data() != null) {
                String mediaType = document.mediaType() == null ? "application/pdf" : document.mediaType();
                JsonObjectBuilder file = Json.PROVIDER.createObjectBuilder()
                        .add("file_data", "data:" + mediaType + ";base64," + document.data());
                if (document.title() != null) {
                    file.add("filename", document.title());
                }
                return Json.PROVIDER.createObjectBuilder().add("type", "file").add("file", file).build();
            }
        }
        throw unsupported(block, "a user turn");
    }

    private static JsonObject textPart(Content.Text text) {
        return Json.PROVIDER.createObjectBuilder().add("type", "text").add("text", text.text()).build();
    }

    private static RuntimeException unsupported(Content block, String where) {
        String kind = block instanceof Content.Opaque opaque ? "a '" + opaque.type() + "' block"
                : block instanceof Content.Document ? "a document by URL" : "this block";
        return ErrorKind.UNSUPPORTED_PARAMETER.exception(block.path(), "'" + block.path() + "' is " + kind
                + " in " + where + ", which this provider cannot take.");
    }
}
