package dev.switchboard.json;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level edits of JSON that has already been parsed and found valid, for relaying a body
 * without re-serialising it (key order, number spelling and unknown fields stay as the client sent
 * them). Stateless.
 */
public final class RawJson {
    private RawJson() {
    }

    /**
     * Returns the range of the top-level member {@code name}'s string value, quotes included,
     * packed as {@code start << 32 | end}, or -1 when the member is absent, not a string, or its
     * key is spelled with escapes (the caller then re-serialises instead).
     */
    public static long findTopLevelString(byte[] json, int length, String name) {
        byte[] key = name.getBytes(StandardCharsets.UTF_8);
        int depth = 0;
        boolean expectKey = false;
        int i = 0;
        while (i < length) {
            byte b = json[i];
            switch (b) {
                case '{' -> {
                    depth++;
                    expectKey = depth == 1;
                    i++;
                }
                case '[' -> {
                    depth++;
                    i++;
                }
                case '}', ']' -> {
                    depth--;
                    i++;
                }
                case ',' -> {
                    expectKey = depth == 1;
                    i++;
                }
                case '"' -> {
                    int end = skipString(json, length, i);
                    if (expectKey) {
                        expectKey = false;
                        if (end - 1 - (i + 1) == key.length && Bytes.regionMatches(json, i + 1, key)) {
                            int value = Bytes.skipWhitespace(json, end, length);
                            if (value < length && json[value] == ':') {
                                value = Bytes.skipWhitespace(json, value + 1, length);
                                if (value < length && json[value] == '"') {
                                    return ((long) value << 32) | skipString(json, length, value);
                                }
                            }
                            return -1;
                        }
                    }
                    i = end;
                }
                default -> i++;
            }
        }
        return -1;
    }

    /** Replaces {@code [start, end)} of {@code json} with {@code replacement}. */
    public static byte[] splice(byte[] json, int length, int start, int end, byte[] replacement) {
        byte[] out = new byte[length - (end - start) + replacement.length];
        System.arraycopy(json, 0, out, 0, start);
        System.arraycopy(replacement, 0, out, start, replacement.length);
        System.arraycopy(json, end, out, start + replacement.length, length - end);
        return out;
    }

    /** A JSON string literal, quotes included, escaped per RFC 8259 §7 (by JSON-P, which knows how). */
    public static byte[] quote(String value) {
        return Json.PROVIDER.createValue(value).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Index just past the closing quote of the string starting at {@code start}. */
    private static int skipString(byte[] json, int length, int start) {
        int i = start + 1;
        while (i < length) {
            byte b = json[i];
            if (b == '\\') {
                i += 2;
            } else if (b == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return length;
    }

}
