package dev.switchboard.provider.anthropic;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Locale;
import java.util.Set;

/**
 * Anthropic's content blocks (docs/protocols/openai-to-anthropic.md §2.3–§2.5): text, images,
 * documents, {@code cache_control} on any of them; blank text is never sent, because Anthropic
 * rejects empty and whitespace-only text blocks. Shared and stateless.
 */
final class ContentParts {
    /** Image types Anthropic accepts (docs/protocols/anthropic-messages.md §3.2). */
    static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
    static final String PDF = "application/pdf";
    static final String PLAIN_TEXT = "text/plain";

    private ContentParts() {
    }

    static JsonObject text(String text, JsonObject cacheControl) {
        JsonObjectBuilder block = Json.PROVIDER.createObjectBuilder().add("type", "text").add("text", text);
        if (cacheControl != null) {
            // Non-standard but widely sent (LiteLLM, Portkey copy it): prompt caching matters on Claude.
            block.add("cache_control", cacheControl);
        }
        return block.build();
    }

    /** An image of a type Claude reads, or a 400 naming {@code path}. */
    static JsonObject image(String mediaType, String base64, String path) {
        if (!IMAGE_TYPES.contains(mediaType)) {
            throw unsupported(path, path + " has media type '" + mediaType
                    + "'; Claude accepts image/jpeg, image/png, image/gif and image/webp.");
        }
        return Json.PROVIDER.createObjectBuilder().add("type", "image").add("source", base64Source(mediaType, base64))
                .build();
    }

    static JsonObject document(JsonObject source, String title) {
        JsonObjectBuilder block = Json.PROVIDER.createObjectBuilder().add("type", "document").add("source", source);
        if (!isBlank(title)) {
            block.add("title", title);
        }
        return block.build();
    }

    static JsonObject base64Source(String mediaType, String data) {
        return Json.PROVIDER.createObjectBuilder().add("type", "base64").add("media_type", mediaType)
                .add("data", data).build();
    }

    static JsonObject withCacheControl(JsonObject block, JsonObject cacheControl) {
        return cacheControl == null ? block
                : Json.PROVIDER.createObjectBuilder(block).add("cache_control", cacheControl).build();
    }

    static boolean isHttp(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    /** Text that Anthropic would reject as a block: empty or whitespace only (docs/protocols/anthropic-messages.md §3.1). */
    static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    static GatewayException unsupported(String param, String message) {
        return ErrorKind.UNSUPPORTED_PARAMETER.exception(param, message);
    }

    static GatewayException invalid(String param, String message) {
        return ErrorKind.INVALID_REQUEST.exception(param, message);
    }
}
