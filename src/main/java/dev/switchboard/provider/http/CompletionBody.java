package dev.switchboard.provider.http;

import dev.switchboard.llm.Usage;

/** A translated non-streaming reply: the {@code chat.completion} JSON and its usage (null if unknown). */
public record CompletionBody(byte[] json, Usage usage) {
}
