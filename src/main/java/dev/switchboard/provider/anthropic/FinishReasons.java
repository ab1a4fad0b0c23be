package dev.switchboard.provider.anthropic;

/**
 * Anthropic's {@code stop_reason} as OpenAI's {@code finish_reason} (docs/protocols/openai-to-anthropic.md
 * §5.1, the "Recommended" column). Shared and stateless.
 */
final class FinishReasons {
    private FinishReasons() {
    }

    /**
     * @param clientToolCalls tool calls the client sees; when the only tool used was the JSON-mode
     *     tool, the reply is a plain answer and finishes with "stop"
     */
    static String map(String stopReason, int clientToolCalls) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> clientToolCalls > 0 ? "tool_calls" : "stop";
            case "refusal" -> "content_filter";
            // end_turn, stop_sequence, pause_turn (an unfinished server-tool turn: the client
            // must ask again, as after any answer) and values added later.
            default -> "stop";
        };
    }
}
