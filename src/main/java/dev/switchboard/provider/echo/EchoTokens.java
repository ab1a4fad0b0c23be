package dev.switchboard.provider.echo;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The echo provider's token count, documented in docs/providers/echo.md: a token is a run of letters or
 * digits, or any other single character that is not whitespace. Crude next to a real tokenizer,
 * but deterministic, cheap, and the same for prompt and reply. Stateless.
 */
final class EchoTokens {
    private EchoTokens() {
    }

    static long count(CharSequence text) {
        long tokens = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                if (!inWord) {
                    tokens++;
                    inWord = true;
                }
            } else {
                inWord = false;
                if (!Character.isWhitespace(c) && !Character.isLowSurrogate(c)) {
                    tokens++;
                }
            }
        }
        return tokens;
    }

    /** The text of a message's content: the string, or its text parts joined by newlines. */
    static String text(JsonValue content) {
        if (content instanceof JsonString string) {
            return string.getString();
        }
        if (content instanceof JsonArray parts) {
            StringBuilder text = new StringBuilder();
            for (JsonValue part : parts) {
                if (part instanceof JsonObject object && object.get("text") instanceof JsonString s) {
                    if (!text.isEmpty()) {
                        text.append('\n');
                    }
                    text.append(s.getString());
                }
            }
            return text.toString();
        }
        return "";
    }

    /** Prompt tokens: the count over the text of every message. */
    static long prompt(JsonArray messages) {
        long tokens = 0;
        for (JsonValue message : messages) {
            tokens += count(text(message.asJsonObject().get("content")));
        }
        return tokens;
    }
}
