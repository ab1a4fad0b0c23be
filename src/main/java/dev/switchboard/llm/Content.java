package dev.switchboard.llm;

import jakarta.json.JsonObject;
import java.util.List;

/**
 * One block of a message in the internal model (docs/architecture.md, "The internal model and the
 * front doors"). Each carries the client's field it came from ({@code path}, such as
 * {@code messages[2].content[1]}), so that a translation that cannot carry it names it in its 400.
 * Immutable.
 */
public sealed interface Content {
    /** The client's field this block came from. */
    String path();

    /**
     * @param cacheControl Anthropic's {@code cache_control} as the client sent it, or null
     */
    record Text(String text, JsonObject cacheControl, String path) implements Content {
    }

    /**
     * An image, inline ({@code data} in base64 with its {@code mediaType}) or by {@code url}.
     */
    record Image(String mediaType, String data, String url, JsonObject cacheControl, String path) implements Content {
    }

    /**
     * A document: base64 {@code data} of {@code mediaType} (a PDF), plain {@code text}, or a
     * {@code url}; with an optional title.
     */
    record Document(String mediaType, String data, String text, String url, String title, JsonObject cacheControl,
                    String path) implements Content {
    }

    /** A tool call of the assistant's: its id, the function and its arguments as JSON text. */
    record FunctionCall(String id, String name, String arguments, String path) implements Content {
    }

    /**
     * The result of a tool call, answering {@code callId}.
     *
     * @param callId the call it answers; null for a Chat legacy {@code function} message that
     *     answers no earlier call, which only its {@code name} identifies
     * @param name the function's name where the door's result carries one (Chat's {@code tool}
     *     and {@code function} messages), else null: Gemini's {@code functionResponse} needs the
     *     name, and takes it from the call the id answers when there is one
     */
    record ToolResult(String callId, String name, List<Content> content, boolean error, String path)
            implements Content {
        public ToolResult {
            content = List.copyOf(content);
        }

        /** A result that carries only the call's id, as Messages and Responses send it. */
        public ToolResult(String callId, List<Content> content, boolean error, String path) {
            this(callId, null, content, error, path);
        }

        /** The text parts joined, for providers whose tool results are text only. */
        public String text() {
            StringBuilder text = new StringBuilder();
            for (Content part : content) {
                if (part instanceof Text t) {
                    text.append(t.text());
                }
            }
            return text.toString();
        }
    }

    /**
     * Reasoning the model did in an earlier turn: its text, and the signature (or encrypted
     * content) that only the provider type it came from ({@code origin}) can check; null when
     * there is none.
     */
    record Reasoning(String text, String signature, String origin, String path) implements Content {
        /**
         * Starts the {@code signature} of a block whose reasoning the provider withheld
         * (Anthropic's {@code redacted_thinking}): the rest is the provider's encrypted data, and
         * there is no text. A prefix rather than a field, so that it survives a door that carries
         * only the signature (Responses' {@code encrypted_content}).
         */
        public static final String REDACTED = "redacted:";

        /** A withheld block: {@code data} is the provider's encrypted reasoning. */
        public static Reasoning redacted(String data, String origin, String path) {
            return new Reasoning(null, REDACTED + data, origin, path);
        }

        public boolean isRedacted() {
            return signature != null && signature.startsWith(REDACTED);
        }

        /** A redacted block's encrypted data, else null. */
        public String redactedData() {
            return isRedacted() ? signature.substring(REDACTED.length()) : null;
        }
    }

    /** A block the door accepts but that has no meaning outside its own protocol (a server tool's). */
    record Opaque(String type, JsonObject raw, String path) implements Content {
    }
}
