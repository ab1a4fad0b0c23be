package dev.switchboard.provider.gemini;

import java.nio.charset.StandardCharsets;

/**
 * Reassembles the JSON value Gemini writes into a stream without {@code data:} when the stream
 * fails after it started: an error object spread over several lines (docs/protocols/openai-to-gemini.md A4).
 * Google's SDK buffers such lines until the braces balance; so does this, but it counts only the
 * braces outside strings, since Gemini's messages may quote JSON themselves. Per stream.
 */
final class BareJson {
    /** As much as HttpAttempt keeps of an error body; more is not an error object any more. */
    static final int MAX_CHARS = 64 * 1024;

    private final StringBuilder text = new StringBuilder();
    private int depth;
    private boolean inString;
    private boolean escaped;

    /**
     * Adds one line (UTF-8 without its line end).
     *
     * @return the complete JSON text once its braces balance, else null; text outside any JSON
     *     value, and a value longer than {@link #MAX_CHARS}, are dropped
     */
    String add(byte[] line, int offset, int length) {
        String piece = new String(line, offset, length, StandardCharsets.UTF_8);
        boolean opened = depth > 0;
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"' && depth > 0) {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
                opened = true;
            } else if ((c == '}' || c == ']') && depth > 0) {
                depth--;
            }
        }
        if (!opened) {
            // Not part of a JSON value: a stray line, ignored as the SSE spec would.
            return null;
        }
        text.append(piece).append('\n');
        if (text.length() > MAX_CHARS) {
            reset();
            return null;
        }
        if (depth > 0) {
            return null;
        }
        String complete = text.toString();
        reset();
        return complete;
    }

    private void reset() {
        text.setLength(0);
        depth = 0;
        inString = false;
        escaped = false;
    }
}
