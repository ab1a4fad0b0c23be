package dev.switchboard.llm;

import java.util.List;

/**
 * A whole reply in the internal model: its blocks, why it ended and what it used. Immutable.
 *
 * <p>A reply holds one choice, unless the client asked for several (Chat's {@code n}, which
 * Gemini serves as {@code candidateCount}): the further ones are {@code alternatives}. Only the
 * Chat door can ask for them and write them; the Messages and Responses doors have no field for
 * several choices, so their requests never ask for more than one.
 *
 * @param content the first choice's blocks
 * @param finish why the first choice ended
 * @param usage what the reply used, or null when the provider never said
 * @param alternatives the choices after the first, in order (choice 1, 2, …); empty for one
 */
public record LlmResponse(String id, String model, List<Content> content, FinishReason finish, Usage usage,
                          List<Alternative> alternatives) {
    public LlmResponse {
        content = List.copyOf(content);
        alternatives = List.copyOf(alternatives);
    }

    /** A reply of one choice. */
    public LlmResponse(String id, String model, List<Content> content, FinishReason finish, Usage usage) {
        this(id, model, content, finish, usage, List.of());
    }

    /** One further choice of a reply: its blocks and why it ended. Immutable. */
    public record Alternative(List<Content> content, FinishReason finish) {
        public Alternative {
            content = List.copyOf(content);
        }
    }
}
