package dev.switchboard.provider.anthropic;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Content;
import dev.switchboard.provider.mapping.ToolArguments;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One internal-model content block as an Anthropic content block (docs/protocols/anthropic-messages.md
 * §3; docs/protocols/openai-responses.md §8 for reasoning): text, images and documents keep
 * {@code cache_control}; tool calls become {@code tool_use} (ids made acceptable by
 * {@link ToolIds}), tool results {@code tool_result} with their blocks and error flag; reasoning
 * that Anthropic signed comes back as the {@code thinking} block it was, with its signature, or as
 * {@code redacted_thinking}. Reasoning without an Anthropic signature cannot be checked by Claude
 * and is left out; blank text is left out, because Anthropic rejects it. Shared and stateless.
 */
final class LlmBlocks {
    /** The origin of reasoning Claude can check: the one the decoders give Anthropic's signatures. */
    static final String ORIGIN = "anthropic";

    private LlmBlocks() {
    }

    /**
     * The block for {@code block}, or null when there is nothing to send.
     *
     * @throws dev.switchboard.error.GatewayException (400) naming a block Claude cannot take
     */
    static JsonObject map(Content block, boolean assistant) {
        if (block instanceof Content.Text text) {
            return ContentParts.isBlank(text.text()) ? null : ContentParts.text(text.text(), text.cacheControl());
        }
        if (block instanceof Content.Reasoning reasoning) {
            return assistant ? reasoning(reasoning) : null;
        }
        if (block instanceof Content.FunctionCall call && assistant) {
            return Json.PROVIDER.createObjectBuilder().add("type", "tool_use").add("id", ToolIds.sanitise(call.id()))
                    .add("name", call.name())
                    .add("input", ToolArguments.parse(Json.PROVIDER.createValue(call.arguments()), call.path() + ".arguments"))
                    .build();
        }
        if (block instanceof Content.ToolResult result && !assistant) {
            return toolResult(result);
        }
        if (block instanceof Content.Image image && !assistant) {
            return ContentParts.withCacheControl(image(image), image.cacheControl());
        }
        if (block instanceof Content.Document document && !assistant) {
            return ContentParts.withCacheControl(document(document), document.cacheControl());
        }
        String kind = block instanceof Content.Opaque opaque ? "a '" + opaque.type() + "' part" : "this part";
        throw ContentParts.unsupported(block.path(), "'" + block.path() + "' is " + kind + " in "
                + (assistant ? "an assistant" : "a user") + " turn, which Claude cannot take.");
    }

    /** Whether {@code block} is thinking Claude made and can check (signed, or redacted). */
    static boolean signedThinking(Content block) {
        return block instanceof Content.Reasoning reasoning && ORIGIN.equals(reasoning.origin())
                && reasoning.signature() != null && !reasoning.signature().isEmpty();
    }

    private static JsonObject reasoning(Content.Reasoning reasoning) {
        if (!signedThinking(reasoning)) {
            return null;
        }
        if (reasoning.isRedacted()) {
            return Json.PROVIDER.createObjectBuilder().add("type", "redacted_thinking")
                    .add("data", reasoning.redactedData()).build();
        }
        // The text is sent as it came, empty included: the signature covers it exactly, and a
        // model that omits its thinking (display "omitted") signs an empty text.
        return Json.PROVIDER.createObjectBuilder().add("type", "thinking")
                .add("thinking", reasoning.text() == null ? "" : reasoning.text())
                .add("signature", reasoning.signature()).build();
    }

    private static JsonObject toolResult(Content.ToolResult result) {
        if (result.callId() == null) {
            // Only a Chat legacy function message answers no call; Claude matches results by id.
            throw ErrorKind.INVALID_REQUEST.exception(result.path() + ".name", result.path()
                    + " answers no earlier assistant function_call named '" + result.name() + "'.");
        }
        JsonObjectBuilder block = Json.PROVIDER.createObjectBuilder().add("type", "tool_result")
                .add("tool_use_id", ToolIds.sanitise(result.callId()));
        List<Content> content = result.content();
        if (content.size() == 1 && content.get(0) instanceof Content.Text text && text.cacheControl() == null) {
            // A lone text goes as a string, as the Chat mapper sends it; blank is sent without content.
            if (!ContentParts.isBlank(text.text())) {
                block.add("content", text.text());
            }
        } else {
            JsonArrayBuilder blocks = Json.PROVIDER.createArrayBuilder();
            int count = 0;
            for (Content part : content) {
                JsonObject mapped = part instanceof Content.ToolResult || part instanceof Content.FunctionCall
                        || part instanceof Content.Reasoning ? null : map(part, false);
                if (mapped != null) {
                    blocks.add(mapped);
                    count++;
                }
            }
            if (count > 0) {
                block.add("content", blocks);
            }
        }
        if (result.error()) {
            block.add("is_error", true);
        }
        return block.build();
    }

    private static JsonObject image(Content.Image image) {
        String path = image.path();
        if (image.data() == null) {
            if (image.url() == null || !ContentParts.isHttp(image.url())) {
                throw ContentParts.unsupported(path, "'" + path + "' must be an http(s) URL or a base64 data URL.");
            }
            // A URL source lets Anthropic fetch the image: no download through the gateway.
            return Json.PROVIDER.createObjectBuilder().add("type", "image")
                    .add("source", Json.PROVIDER.createObjectBuilder().add("type", "url").add("url", image.url())).build();
        }
        String mediaType = image.mediaType() == null ? "" : image.mediaType();
        if (mediaType.equals(ContentParts.PDF)) {
            return ContentParts.document(ContentParts.base64Source(ContentParts.PDF, image.data()), null);
        }
        return ContentParts.image(mediaType.equals("image/jpg") ? "image/jpeg" : mediaType, image.data(), path);
    }

    private static JsonObject document(Content.Document document) {
        String path = document.path();
        if (document.text() != null) {
            return ContentParts.document(textSource(document.text()), document.title());
        }
        if (document.url() != null) {
            return ContentParts.document(Json.PROVIDER.createObjectBuilder().add("type", "url")
                    .add("url", document.url()).build(), document.title());
        }
        String mediaType = document.mediaType() == null ? ContentParts.PDF : document.mediaType();
        if (mediaType.equals(ContentParts.PDF)) {
            return ContentParts.document(ContentParts.base64Source(ContentParts.PDF, document.data()), document.title());
        }
        if (mediaType.equals(ContentParts.PLAIN_TEXT)) {
            String text;
            try {
                text = new String(Base64.getMimeDecoder().decode(document.data()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ContentParts.invalid(path, "'" + path + "' is not valid base64.");
            }
            return ContentParts.document(textSource(text), document.title());
        }
        if (mediaType.startsWith("image/")) {
            return ContentParts.image(mediaType, document.data(), path);
        }
        throw ContentParts.unsupported(path, "'" + path + "' has media type '" + mediaType
                + "'; Claude accepts PDF and plain-text files and images.");
    }

    private static JsonObject textSource(String text) {
        return Json.PROVIDER.createObjectBuilder().add("type", "text").add("media_type", ContentParts.PLAIN_TEXT)
                .add("data", text).build();
    }
}
