package dev.switchboard.chat;

import java.util.List;

/**
 * One choice of a non-streaming reply, provider-neutral, ready to be written as OpenAI JSON.
 *
 * @param content the visible text, or null when there is none (a tool-only reply)
 * @param reasoning thinking text for the non-standard {@code reasoning_content}, or null
 */
public record Choice(int index, String content, String reasoning, List<ToolCall> toolCalls, String finishReason) {
    public Choice {
        toolCalls = List.copyOf(toolCalls);
    }
}
