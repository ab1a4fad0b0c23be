package dev.switchboard.llm;

import java.util.List;

/** One turn of a conversation in the internal model: a user's or the assistant's. Immutable. */
public record Message(Role role, List<Content> content, String path) {
    public enum Role { USER, ASSISTANT }

    public Message {
        content = List.copyOf(content);
    }
}
