package dev.switchboard.provider;

import dev.switchboard.chat.Usage;

/** A translated non-streaming reply: the {@code chat.completion} JSON and its usage (null if unknown). */
public record CompletionBody(byte[] json, Usage usage) {
}
