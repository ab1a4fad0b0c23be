package dev.switchboard.json;

/**
 * Byte searches over UTF-8 JSON, for the hot paths that decide from a few ASCII tokens whether a
 * body or chunk needs parsing at all. UTF-8 continuation bytes are never ASCII, so a byte-wise
 * match of an ASCII needle is exact. Stateless.
 */
public final class Bytes {
    private Bytes() {
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
