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
    private static final byte[] CONTENT = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOOL_CALLS = "\"tool_calls\":[".getBytes(StandardCharsets.US_ASCII);

    private ChunkContent() {
    }

    public static boolean carriesToken(byte[] json) {
        int from = 0;
        while (true) {
            int at = Bytes.indexOf(json, from, CONTENT);
            if (at < 0) {
                break;
            }
            int value = at + CONTENT.length;
            // "content":"" is the role chunk's empty string; anything else is text.
            if (value < json.length && json[value] != '"') {
                return true;
            }
            from = value;
        }
        return Bytes.indexOf(json, 0, TOOL_CALLS) >= 0;
    }
}
