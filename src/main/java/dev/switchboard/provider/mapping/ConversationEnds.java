package dev.switchboard.provider.mapping;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Makes a translated conversation start and end with a user turn, which Anthropic and Gemini
 * both require, by adding a {@link #PLACEHOLDER_USER_TEXT} user turn where one is missing. OpenAI
 * accepts any order: a conversation may open with the assistant's greeting, and one that ends with
 * an assistant message asks for a new reply, since OpenAI has no assistant prefill. Anthropic
 * requires a leading user turn and reads a trailing assistant turn as prefill, which newer Claude
 * models reject (docs/protocols/anthropic-messages.md §3.1); Gemini wants user and model turns to alternate from
 * a user turn (docs/protocols/openai-to-gemini.md A2.1) and the last turn to be the user's, text or function
 * responses. Shared and stateless.
 */
public final class ConversationEnds {
    /** The text of an inserted user turn: LiteLLM's default "continue" message. */
    public static final String PLACEHOLDER_USER_TEXT = "Please continue.";

    private ConversationEnds() {
    }

    /**
     * Adds a placeholder user turn at the start when the conversation is empty or starts with
     * another role, and at the end when it ends with another role.
     *
     * @param turns the provider's turns, in order, adjacent turns of one role already merged
     * @param isUser whether a turn is the user's (tool results included, where they ride in one)
     * @param placeholder a new user turn holding {@link #PLACEHOLDER_USER_TEXT}
     */
    public static <T> void repair(List<T> turns, Predicate<? super T> isUser, Supplier<? extends T> placeholder) {
        if (turns.isEmpty() || !isUser.test(turns.get(0))) {
            turns.add(0, placeholder.get());
        }
        if (!isUser.test(turns.get(turns.size() - 1))) {
            turns.add(placeholder.get());
        }
    }
}
