package dev.switchboard.provider.gemini;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Content;
import dev.switchboard.provider.mapping.DataUrl;
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
 * Maps the blocks of a user turn in the internal model (docs/protocols/openai-to-gemini.md A2.1,
 * B2.3) to Gemini parts; a 400 names the client's field each block came from. Stateless.
 *
 * <p>Media, and what is refused with a 400 naming the part:
 * <ul>
 * <li>An inline image (Chat's {@code image_url} with a {@code data:<mime>;base64,} URL, a
 *     Messages base64 image) → {@code inlineData} with its media type ({@code image/jpg} read as
 *     {@code image/jpeg} by {@link DataUrl}). An image type Gemini does not take
 *     ({@link #IMAGE_TYPES}: e.g. {@code image/gif}, {@code image/bmp}) is a 400 here rather than
 *     Gemini's "Unsupported MIME type" 400, which names no part. Other types (PDF, audio, video,
 *     text) are Gemini's to judge, as before.</li>
 * <li>An image or document by http(s) URL → {@code fileData}, but only where Gemini can fetch it
 *     itself: Files API URIs ({@code generativelanguage.googleapis.com/.../files/...}) and YouTube
 *     links without a media type (Gemini knows them), and other URLs whose path ends in a known
 *     extension ({@link #MEDIA_TYPES}), sent with that media type. Switchboard does not download
 *     URLs (B2.3 calls downloading the portable choice, but it would make the gateway fetch
 *     arbitrary client-named URLs); any other URL, and any other scheme ({@code gs://} is
 *     Vertex-only), is a 400 asking for a data URL. An extensionless URL
 *     ({@code https://cdn.example/x?id=1}) gets no guessed type such as {@code image/jpeg}: B2.3
 *     marks Gemini's acceptance of arbitrary public URLs in {@code fileData} as unverified, and a
 *     wrong type could fail upstream or be decoded wrongly, where a 400 here names the part.</li>
 * <li>An inline document (Chat's {@code file} with {@code file_data}, a Messages base64 PDF) →
 *     {@code inlineData} of its media type, {@code application/pdf} when it names none; a plain-text
 *     document → a text part.</li>
 * <li>Chat's {@code input_audio} (wav, mp3) → {@code inlineData} {@code audio/wav},
 *     {@code audio/mp3}.</li>
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
    /** Chat's audio part, which the internal model carries as it came. */
    static final String INPUT_AUDIO = "input_audio";

    private UserParts() {
    }

    /** The parts of one block of a user turn, added to {@code parts}. */
    static void add(List<JsonObject> parts, Content block) {
        if (block instanceof Content.Text text) {
            addText(parts, text.text());
        } else if (block instanceof Content.Image image) {
            parts.add(image.data() != null ? inline(image.mediaType(), image.data(), image.path())
                    : url(image.url(), image.path()));
        } else if (block instanceof Content.Document document) {
            if (document.text() != null) {
                addText(parts, document.text());
            } else if (document.data() != null) {
                parts.add(inline(document.mediaType() == null ? PDF : document.mediaType(), document.data(),
                        document.path()));
            } else {
                parts.add(url(document.url(), document.path()));
            }
        } else if (block instanceof Content.Opaque opaque && opaque.type().equals(INPUT_AUDIO)) {
            parts.add(audio(opaque.raw().get(INPUT_AUDIO), opaque.path() + "." + INPUT_AUDIO));
        } else if (!(block instanceof Content.Reasoning)) {
            String kind = block instanceof Content.Opaque opaque ? "a '" + opaque.type() + "' part" : "this block";
            throw invalid(block.path(), block.path() + " is " + kind + ", which Switchboard cannot send to Gemini.");
        }
    }

    static void addText(List<JsonObject> parts, String text) {
        if (!text.isEmpty()) {
            parts.add(Json.PROVIDER.createObjectBuilder().add("text", text).build());
        }
    }

    /** An image or document by URL: a data URL the door could not read, or one Gemini fetches. */
    private static JsonObject url(String url, String path) {
        if (url == null) {
            throw invalid(path, path + " carries neither data nor a URL.");
        }
        if (DataUrl.isDataUrl(url)) {
            DataUrl data = DataUrl.parse(url);
            if (data == null) {
                throw invalid(path, path + " must be a base64 data URL ('data:<media type>;base64,<data>').");
            }
            return inline(data.mediaType(), data.base64(), path);
        }
        return fileData(url, path);
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

    /** Base64 data of a media type, which must be one Gemini takes if it is an image's. */
    private static JsonObject inline(String rawMediaType, String base64, String path) {
        String mediaType = DataUrl.mediaType(rawMediaType == null ? "" : rawMediaType);
        if (mediaType.startsWith("image/") && !IMAGE_TYPES.contains(mediaType)) {
            throw ErrorKind.UNSUPPORTED_PARAMETER.exception(path, path + " has media type '" + mediaType
                    + "'; Gemini accepts image/png, image/jpeg, image/webp, image/heic and image/heif.");
        }
        return blob(mediaType, base64);
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
