package dev.switchboard.provider.gemini;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.provider.mapping.DataUrl;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps the content of a user message (docs/protocols/openai-chat.md §3.2) to Gemini parts (docs/protocols/openai-to-gemini.md
 * A2.1, B2.3). Stateless.
 *
 * <p>Media, and what is refused with a 400 naming the part:
 * <ul>
 * <li>{@code image_url} with a {@code data:<mime>;base64,} URL → {@code inlineData} with that media
 *     type ({@code image/jpg} read as {@code image/jpeg} by {@link DataUrl}). An image type Gemini
 *     does not take ({@link #IMAGE_TYPES}: e.g. {@code image/gif}, {@code image/bmp}) is a 400 here
 *     rather than Gemini's "Unsupported MIME type" 400, which names no part. Other types (PDF,
 *     audio, video, text) are Gemini's to judge, as before.</li>
 * <li>{@code image_url} with an http(s) URL → {@code fileData}, but only where Gemini can fetch it
 *     itself: Files API URIs ({@code generativelanguage.googleapis.com/.../files/...}) and YouTube
 *     links without a media type (Gemini knows them), and other URLs whose path ends in a known
 *     extension ({@link #MEDIA_TYPES}), sent with that media type. Switchboard does not download
 *     URLs (B2.3 calls downloading the portable choice, but it would make the gateway fetch
 *     arbitrary client-named URLs); any other URL, and any other scheme ({@code gs://} is
 *     Vertex-only), is a 400 asking for a data URL. An extensionless URL
 *     ({@code https://cdn.example/x?id=1}) gets no guessed type such as {@code image/jpeg}: B2.3
 *     marks Gemini's acceptance of arbitrary public URLs in {@code fileData} as unverified, and a
 *     wrong type could fail upstream or be decoded wrongly, where a 400 here names the part.</li>
 * <li>{@code file} with {@code file_data} → {@code inlineData}: the data URL's media type, else
 *     {@code application/pdf} (OpenAI file parts are PDFs). {@code file_id} only when it is a
 *     Gemini Files API URI; an OpenAI file id means nothing to Gemini.</li>
 * <li>{@code input_audio} (wav, mp3) → {@code inlineData} {@code audio/wav}, {@code audio/mp3}.</li>
 * <li>Empty text is skipped: Gemini rejects empty text parts (B2.3).</li>
 * </ul>
 */
final class UserParts {
    /** Media types of URL paths Gemini may fetch as {@code fileData}, by extension. */
    static final Map<String, String> MEDIA_TYPES = Map.of(
            "png", "image/png",
            "jpg", "image/jpeg",
            "jpeg", "image/jpeg",
            "webp", "image/webp",
            "heic", "image/heic",
            "heif", "image/heif",
            "pdf", "application/pdf");

    /**
     * The image types Gemini accepts (ai.google.dev "Image understanding": PNG, JPEG, WEBP, HEIC,
     * HEIF); the same set as the images of {@link #MEDIA_TYPES}.
     */
    static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/webp", "image/heic", "image/heif");
    static final String PDF = "application/pdf";
    static final String FILES_API_HOST = "generativelanguage.googleapis.com";
    static final Set<String> YOUTUBE_HOSTS = Set.of("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be");
    static final Map<String, String> AUDIO_TYPES = Map.of("wav", "audio/wav", "mp3", "audio/mp3");


    private UserParts() {
    }

    /** The parts of {@code content} (a string or an array of parts); {@code path} names the message. */
    static List<JsonObject> map(JsonValue content, String path) {
        List<JsonObject> parts = new ArrayList<>();
        if (content instanceof JsonString text) {
            addText(parts, text.getString());
        } else if (content instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                JsonObject part = array.getJsonObject(i);
                String partPath = path + ".content[" + i + "]";
                String type = part.getString("type");
                switch (type) {
                    case "text" -> addText(parts, part.getString("text"));
                    case "image_url" -> parts.add(image(part.get("image_url"), partPath + ".image_url"));
                    case "file" -> parts.add(file(part.get("file"), partPath + ".file"));
                    case "input_audio" -> parts.add(audio(part.get("input_audio"), partPath + ".input_audio"));
                    default -> throw invalid(partPath, partPath + " is a '" + type
                            + "' part, which Switchboard cannot send to Gemini.");
                }
            }
        }
        return parts;
    }

    static void addText(List<JsonObject> parts, String text) {
        if (!text.isEmpty()) {
            parts.add(Json.PROVIDER.createObjectBuilder().add("text", text).build());
        }
    }

    private static JsonObject image(JsonValue imageUrl, String path) {
        // Some clients send the URL as a bare string rather than {"url": ...}.
        JsonValue url = imageUrl instanceof JsonObject object ? object.get("url") : imageUrl;
        if (!(url instanceof JsonString string)) {
            throw invalid(path + ".url", path + ".url must be a string.");
        }
        String value = string.getString();
        if (DataUrl.isDataUrl(value)) {
            return inlineData(value, null, path + ".url");
        }
        return fileData(value, path + ".url");
    }

    private static JsonObject file(JsonValue file, String path) {
        if (!(file instanceof JsonObject object)) {
            throw invalid(path, path + " must be an object with 'file_data'.");
        }
        JsonValue data = object.get("file_data");
        if (data instanceof JsonString string) {
            return inlineData(string.getString(), PDF, path + ".file_data");
        }
        JsonValue fileId = object.get("file_id");
        if (fileId instanceof JsonString id && isFilesApi(id.getString())) {
            return Json.PROVIDER.createObjectBuilder().add("fileData",
                    Json.PROVIDER.createObjectBuilder().add("fileUri", id.getString())).build();
        }
        throw invalid(path, path + " must carry the file inline in 'file_data' (a base64 PDF or a data URL);"
                + " Gemini cannot read OpenAI file ids.");
    }

    private static JsonObject audio(JsonValue audio, String path) {
        if (!(audio instanceof JsonObject object) || !(object.get("data") instanceof JsonString data)
                || !(object.get("format") instanceof JsonString format)) {
            throw invalid(path, path + " must be an object with string 'data' and 'format'.");
        }
        String mimeType = AUDIO_TYPES.get(format.getString().toLowerCase(Locale.ROOT));
        if (mimeType == null) {
            throw invalid(path + ".format", path + ".format must be one of " + AUDIO_TYPES.keySet() + ".");
        }
        return blob(mimeType, data.getString());
    }

    /**
     * A data URL ({@code data:<mime>;base64,<data>}) or, when {@code rawMimeType} is given, also
     * bare base64 of that type.
     */
    private static JsonObject inlineData(String value, String rawMimeType, String path) {
        if (!DataUrl.isDataUrl(value)) {
            if (rawMimeType == null) {
                throw invalid(path, path + " must be a data URL.");
            }
            return blob(rawMimeType, value);
        }
        DataUrl data = DataUrl.parse(value);
        if (data == null) {
            throw invalid(path, path + " must be a base64 data URL ('data:<media type>;base64,<data>').");
        }
        if (data.mediaType().startsWith("image/") && !IMAGE_TYPES.contains(data.mediaType())) {
            throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path, path + " has media type '" + data.mediaType()
                    + "'; Gemini accepts image/png, image/jpeg, image/webp, image/heic and image/heif.");
        }
        return blob(data.mediaType(), data.base64());
    }

    private static JsonObject blob(String mimeType, String base64) {
        return Json.PROVIDER.createObjectBuilder().add("inlineData", Json.PROVIDER.createObjectBuilder()
                .add("mimeType", mimeType).add("data", base64)).build();
    }

    private static JsonObject fileData(String url, String path) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(path, path + " is neither a data URL nor a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || host.isEmpty()) {
            throw invalid(path, path + " must be a data URL or an http(s) URL; Gemini cannot fetch '"
                    + scheme + ":' URLs through this API.");
        }
        if (YOUTUBE_HOSTS.contains(host) || isFilesApi(url)) {
            return Json.PROVIDER.createObjectBuilder().add("fileData",
                    Json.PROVIDER.createObjectBuilder().add("fileUri", url)).build();
        }
        String mimeType = mediaTypeOf(uri.getPath());
        if (mimeType == null) {
            throw invalid(path, path + " is a URL whose media type Switchboard cannot tell (its path does not end in one"
                    + " of " + MEDIA_TYPES.keySet() + "); send the image as a data URL instead.");
        }
        return Json.PROVIDER.createObjectBuilder().add("fileData", Json.PROVIDER.createObjectBuilder()
                .add("mimeType", mimeType).add("fileUri", url)).build();
    }

    private static boolean isFilesApi(String url) {
        try {
            URI uri = new URI(url);
            return "https".equalsIgnoreCase(uri.getScheme()) && FILES_API_HOST.equalsIgnoreCase(uri.getHost())
                    && uri.getPath() != null && uri.getPath().contains("/files/");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String mediaTypeOf(String path) {
        if (path == null) {
            return null;
        }
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return null;
        }
        return MEDIA_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static GatewayException invalid(String param, String message) {
        return ErrorKind.INVALID_REQUEST.exception(param, message);
    }
}
