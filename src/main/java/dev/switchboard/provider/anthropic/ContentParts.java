package dev.switchboard.provider.anthropic;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.provider.mapping.DataUrl;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns one OpenAI message {@code content} (a string or an array of parts) into Anthropic content
 * blocks (docs/protocols/openai-to-anthropic.md §2.3–§2.5). Blank text is skipped, because Anthropic rejects
 * empty and whitespace-only text blocks; a part Claude cannot take is a 400 naming it, e.g.
 * {@code messages[2].content[1]}. Shared and stateless.
 */
final class ContentParts {
    /** Which parts a role may carry: each role accepts a different subset (docs/protocols/openai-chat.md §3). */
    enum Role {
        /** system and developer: text only, as in OpenAI's own schema. */
        SYSTEM,
        USER,
        /** text, and refusal parts replayed as text (Anthropic has no refusal block). */
        ASSISTANT,
        /** tool results: text, images and documents, which Anthropic's tool_result accepts. */
        TOOL
    }

    /** Image types Anthropic accepts (docs/protocols/anthropic-messages.md §3.2). */
    static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
    static final String PDF = "application/pdf";
    static final String PLAIN_TEXT = "text/plain";

    private ContentParts() {
    }

    /**
     * The blocks for {@code content} at {@code path} (e.g. {@code messages[3].content}); empty when
     * there is nothing to send.
     */
    static List<JsonObject> blocks(JsonValue content, String path, Role role) {
        List<JsonObject> blocks = new ArrayList<>();
        if (content instanceof JsonString string) {
            if (!isBlank(string.getString())) {
                blocks.add(text(string.getString(), null));
            }
        } else if (content instanceof JsonArray parts) {
            for (int i = 0; i < parts.size(); i++) {
                JsonObject block = part(parts.getJsonObject(i), path + "[" + i + "]", role);
                if (block != null) {
                    blocks.add(block);
                }
            }
        }
        return blocks;
    }

    private static JsonObject part(JsonObject part, String path, Role role) {
        String type = part.getString("type");
        JsonObject cacheControl = JsonFields.object(part, "cache_control");
        switch (type) {
            case "text" -> {
                String text = part.getString("text");
                return isBlank(text) ? null : text(text, cacheControl);
            }
            case "refusal" -> {
                if (role == Role.ASSISTANT) {
                    String text = JsonFields.string(part, "refusal");
                    return isBlank(text) ? null : text(text, null);
                }
            }
            case "image_url" -> {
                if (role == Role.USER || role == Role.TOOL) {
                    return withCacheControl(image(part, path), cacheControl);
                }
            }
            case "file" -> {
                if (role == Role.USER || role == Role.TOOL) {
                    return withCacheControl(file(part, path), cacheControl);
                }
            }
            case "input_audio" -> {
                if (role == Role.USER) {
                    throw unsupported(path, path + " is an input_audio part; Claude does not accept audio input.");
                }
            }
            default -> {
                // Falls through to the error below.
            }
        }
        throw unsupported(path, path + " is a '" + type + "' part, which a " + roleName(role)
                + " message cannot carry to Claude.");
    }

    static JsonObject text(String text, JsonObject cacheControl) {
        JsonObjectBuilder block = Json.PROVIDER.createObjectBuilder().add("type", "text").add("text", text);
        if (cacheControl != null) {
            // Non-standard but widely sent (LiteLLM, Portkey copy it): prompt caching matters on Claude.
            block.add("cache_control", cacheControl);
        }
        return block.build();
    }

    private static JsonObject image(JsonObject part, String path) {
        JsonValue imageUrl = part.get("image_url");
        String url = imageUrl instanceof JsonString s ? s.getString() // some clients send the URL bare
                : JsonFields.string(imageUrl instanceof JsonObject o ? o : null, "url");
        String urlPath = path + ".image_url.url";
        if (url == null) {
            throw invalid(urlPath, urlPath + " is required.");
        }
        if (DataUrl.isDataUrl(url)) {
            DataUrl data = base64DataUrl(url, urlPath);
            if (data.mediaType().equals(PDF)) {
                // Both reference gateways route a PDF data URL to a document block.
                return document(base64Source(PDF, data.base64()), null);
            }
            return image(data.mediaType(), data.base64(), urlPath);
        }
        if (isHttp(url)) {
            // A URL source lets Anthropic fetch the image: no download through the gateway (Portkey's choice).
            return Json.PROVIDER.createObjectBuilder().add("type", "image")
                    .add("source", Json.PROVIDER.createObjectBuilder().add("type", "url").add("url", url)).build();
        }
        throw unsupported(urlPath, urlPath + " must be an http(s) URL or a base64 data URL.");
    }

    /** {@code mediaType} comes from {@link DataUrl}, which already reads {@code image/jpg} as {@code image/jpeg}. */
    static JsonObject image(String mediaType, String base64, String path) {
        if (!IMAGE_TYPES.contains(mediaType)) {
            throw unsupported(path, path + " has media type '" + mediaType
                    + "'; Claude accepts image/jpeg, image/png, image/gif and image/webp.");
        }
        return Json.PROVIDER.createObjectBuilder().add("type", "image").add("source", base64Source(mediaType, base64))
                .build();
    }

    /**
     * OpenAI's {@code file} part: {@code file_data} (a data URL or bare base64) becomes a PDF or
     * plain-text document; {@code file_id} names a file stored at OpenAI, which Claude cannot read.
     */
    private static JsonObject file(JsonObject part, String path) {
        JsonObject file = JsonFields.object(part, "file");
        String filePath = path + ".file";
        if (file == null) {
            throw invalid(filePath, filePath + " is required.");
        }
        String filename = JsonFields.string(file, "filename");
        String fileData = JsonFields.string(file, "file_data");
        if (fileData == null) {
            if (JsonFields.present(file, "file_id")) {
                throw unsupported(filePath + ".file_id", filePath + ".file_id refers to a file stored at OpenAI;"
                        + " send the file inline as file_data instead.");
            }
            throw invalid(filePath + ".file_data", filePath + ".file_data is required.");
        }
        String dataPath = filePath + ".file_data";
        String mediaType;
        String base64;
        if (DataUrl.isDataUrl(fileData)) {
            DataUrl data = base64DataUrl(fileData, dataPath);
            mediaType = data.mediaType();
            base64 = data.base64();
        } else {
            // Bare base64: OpenAI only takes PDFs this way, so that is the default.
            mediaType = filename != null && filename.toLowerCase(Locale.ROOT).endsWith(".txt") ? PLAIN_TEXT : PDF;
            base64 = fileData;
        }
        if (mediaType.equals(PDF)) {
            return document(base64Source(PDF, base64), filename);
        }
        if (mediaType.equals(PLAIN_TEXT)) {
            String text;
            try {
                text = new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalid(dataPath, dataPath + " is not valid base64.");
            }
            return document(Json.PROVIDER.createObjectBuilder().add("type", "text").add("media_type", PLAIN_TEXT)
                    .add("data", text).build(), filename);
        }
        if (mediaType.startsWith("image/")) {
            return image(mediaType, base64, dataPath);
        }
        throw unsupported(dataPath, dataPath + " has media type '" + mediaType
                + "'; Claude accepts PDF and plain-text files and images.");
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

    private static String roleName(Role role) {
        return switch (role) {
            case SYSTEM -> "system or developer";
            case USER -> "user";
            case ASSISTANT -> "assistant";
            case TOOL -> "tool";
        };
    }

    /** Claude takes data URLs only in base64 (docs/protocols/anthropic-messages.md §3.2). */
    private static DataUrl base64DataUrl(String url, String path) {
        DataUrl data = DataUrl.parse(url);
        if (data == null) {
            throw unsupported(path, path + " must be a base64 data URL (data:<media type>;base64,<data>).");
        }
        return data;
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
