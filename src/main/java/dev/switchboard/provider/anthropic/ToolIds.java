package dev.switchboard.provider.anthropic;

/**
 * Makes a client's tool-call id acceptable as an Anthropic {@code tool_use.id}, which must match
 * {@code ^[a-zA-Z0-9_-]+$}. OpenAI's own {@code call_…} ids pass unchanged; ids minted by other
 * backends ({@code functions.get_weather:0}) would be a 400. The rewrite is deterministic, so a
 * {@code tool_use} and the {@code tool_result} answering it still match. Shared and stateless.
 */
final class ToolIds {
    /** Stands in for every character outside Anthropic's id alphabet. */
    static final char REPLACEMENT = '_';

    private ToolIds() {
    }

    static String sanitise(String id) {
        StringBuilder out = null;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            if (!allowed && out == null) {
                out = new StringBuilder(id.length()).append(id, 0, i);
            }
            if (out != null) {
                out.append(allowed ? c : REPLACEMENT);
            }
        }
        return out == null ? id : out.toString();
    }
}
