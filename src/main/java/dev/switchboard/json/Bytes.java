package dev.switchboard.json;

import java.nio.charset.StandardCharsets;

/**
 * Byte searches over UTF-8 JSON, for the hot paths that decide from a few ASCII tokens whether a
 * body or chunk needs parsing at all. UTF-8 continuation bytes are never ASCII, so a byte-wise
 * match of an ASCII needle is exact. Stateless.
 */
public final class Bytes {
    private Bytes() {
    }

    /** The bytes of an ASCII name or token, for the searches and key matches below. */
    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Where {@code needle} first occurs in {@code haystack[from, end)}, or -1. */
    public static int indexOf(byte[] haystack, int from, int end, byte[] needle) {
        byte first = needle[0];
        for (int i = from, last = end - needle.length; i <= last; i++) {
            if (haystack[i] == first && regionMatches(haystack, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    /** Where {@code needle} first occurs in {@code haystack} at or after {@code from}, or -1. */
    public static int indexOf(byte[] haystack, int from, byte[] needle) {
        return indexOf(haystack, from, haystack.length, needle);
    }

    /** The first index in {@code [from, end)} that is not JSON whitespace (RFC 8259 §2), or {@code end}. */
    public static int skipWhitespace(byte[] json, int from, int end) {
        int i = from;
        while (i < end && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) {
            i++;
        }
        return i;
    }

    /**
     * Where the value of the next member named {@code quotedKey} (quotes included) begins, at or
     * after {@code from}: past the key, whitespace, the colon and whitespace again. The key text
     * followed by no colon is a string value, not a key, and is passed over. -1 when there is none;
     * the index may equal {@code json.length} for a cut-off text, so callers check it.
     */
    public static int nextMemberValue(byte[] json, int from, byte[] quotedKey) {
        for (int at = indexOf(json, from, quotedKey); at >= 0; at = indexOf(json, at + 1, quotedKey)) {
            int colon = skipWhitespace(json, at + quotedKey.length, json.length);
            if (colon < json.length && json[colon] == ':') {
                return skipWhitespace(json, colon + 1, json.length);
            }
        }
        return -1;
    }

    /** Whether {@code haystack} holds {@code needle} at {@code at}. */
    public static boolean regionMatches(byte[] haystack, int at, byte[] needle) {
        if (at < 0 || at + needle.length > haystack.length) {
            return false;
        }
        for (int j = 0; j < needle.length; j++) {
            if (haystack[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
