package dev.switchboard.llm;

import java.util.List;

/**
 * A whole reply in the internal model: its blocks, why it ended and what it used. Immutable.
 *
 * @param usage what the reply used, or null when the provider never said
 */
public record LlmResponse(String id, String model, List<Content> content, FinishReason finish, Usage usage) {
    public LlmResponse {
        content = List.copyOf(content);
    }
}
