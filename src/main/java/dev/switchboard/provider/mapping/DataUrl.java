package dev.switchboard.provider.mapping;

import java.util.Locale;

/**
 * A base64 {@code data:} URL, {@code data:[<media type>][;<parameter>]*;base64,<data>} (RFC
 * 2397), split the way both connectors send images and files inline (docs/protocols/openai-to-anthropic.md §2.3,
 * docs/protocols/openai-to-gemini.md B2.3). Case-insensitive where RFC 2397 is: the scheme, the {@code base64}
 * token and the media type, which is returned lower-cased. Immutable.
 *
 * <p>{@code image/jpg}, which is no registered type but what many clients write, is read as
 * {@code image/jpeg}: Claude and Gemini both reject the misspelling ("Unsupported MIME type"), and
 * doing it here keeps the two connectors from drifting apart.
 *
 * @param mediaType the media type without its parameters, lower-cased, {@code image/jpg} read as
 *     {@code image/jpeg}; {@code text/plain} when the URL names none, RFC 2397's default
 * @param base64 the data after the first comma, as sent
 */
public record DataUrl(String mediaType, String base64) {
    static final String SCHEME = "data:";
    static final String BASE64_TOKEN = "base64";
    /** RFC 2397: "If <mediatype> is omitted, it defaults to text/plain;charset=US-ASCII". */
    static final String DEFAULT_MEDIA_TYPE = "text/plain";
    static final String JPEG = "image/jpeg";
    /** The unregistered spelling of {@link #JPEG} that clients send. */
    static final String JPG = "image/jpg";

    /** Whether {@code url} is a {@code data:} URL at all, base64 or not. */
    public static boolean isDataUrl(String url) {
        return url.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** The parts of a base64 data URL, or null when {@code url} is not one (no comma, no {@code ;base64}). */
    public static DataUrl parse(String url) {
        if (!isDataUrl(url)) {
            return null;
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            return null;
        }
        String[] header = url.substring(SCHEME.length(), comma).split(";", -1);
        if (header.length < 2 || !header[header.length - 1].trim().equalsIgnoreCase(BASE64_TOKEN)) {
            return null;
        }
        return new DataUrl(mediaType(header[0]), url.substring(comma + 1));
    }

    /**
     * A media type as this class reads one from a data URL: trimmed and lower-cased,
     * {@code image/jpg} read as {@code image/jpeg}, {@link #DEFAULT_MEDIA_TYPE} when empty; for
     * media types a door has already split from its URL or sent on their own.
     */
    public static String mediaType(String raw) {
        String mediaType = raw.trim().toLowerCase(Locale.ROOT);
        if (mediaType.isEmpty()) {
            return DEFAULT_MEDIA_TYPE;
        }
        return mediaType.equals(JPG) ? JPEG : mediaType;
    }
}
