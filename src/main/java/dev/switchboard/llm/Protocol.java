package dev.switchboard.llm;

/**
 * The wire formats a client may speak to Switchboard, one per front door (docs/architecture.md,
 * "The internal model and the front doors"). A connector relays a request whose protocol is its
 * provider's own and translates the others.
 */
public enum Protocol {
    /** OpenAI Chat Completions, {@code POST /v1/chat/completions}. */
    CHAT,
    /** Anthropic Messages, {@code POST /v1/messages}. */
    MESSAGES,
    /** OpenAI Responses, {@code POST /v1/responses}. */
    RESPONSES,
    /** OpenAI embeddings, {@code POST /v1/embeddings}. */
    EMBEDDINGS
}
