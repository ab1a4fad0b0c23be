package dev.switchboard.chat;

import dev.switchboard.json.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * Tells whether a {@code chat.completion.chunk} carries a token: non-empty {@code content} or
 * {@code reasoning_content}, or a tool call. The role-only first chunk does not, which is what
 * makes "time to first token" mean the first token. A byte scan rather than a parse: it runs on
 * every chunk until the first token is seen. Stateless.
 */
public final class ChunkContent {
    private static final byte[] CONTENT = "\"content\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REASONING_CONTENT = "\"reasoning_content\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOOL_CALLS = "\"tool_calls\"".getBytes(StandardCharsets.US_ASCII);

    private ChunkContent() {
    }

    public static boolean carriesToken(byte[] json) {
        return hasText(json, CONTENT) || hasText(json, REASONING_CONTENT) || hasCalls(json);
    }

    /** A member {@code key} whose value is a non-empty string ({@code ""} is the role chunk's). */
    private static boolean hasText(byte[] json, byte[] key) {
        for (int v = Bytes.nextMemberValue(json, 0, key); v >= 0; v = Bytes.nextMemberValue(json, v, key)) {
            if (v + 1 < json.length && json[v] == '"' && json[v + 1] != '"') {
                return true;
            }
        }
        return false;
    }

    /** A non-empty {@code tool_calls} array. */
    private static boolean hasCalls(byte[] json) {
        for (int v = Bytes.nextMemberValue(json, 0, TOOL_CALLS); v >= 0; v = Bytes.nextMemberValue(json, v, TOOL_CALLS)) {
            if (v < json.length && json[v] == '[') {
                int first = Bytes.skipWhitespace(json, v + 1, json.length);
                if (first < json.length && json[first] != ']') {
                    return true;
                }
            }
        }
        return false;
    }
}
