package dev.switchboard.ingress.responses;

/**
 * Carries another provider's reasoning signature through a Responses client, which sends back
 * only what it was given (docs/protocols/openai-responses.md §8: "pack the thinking block's
 * signature into the emitted reasoning item's encrypted_content"): {@code sb1:<origin>:<signature>}.
 * An {@code encrypted_content} without the prefix is OpenAI's own. Stateless.
 */
final class ReasoningCodec {
    static final String PREFIX = "sb1:";
    /** The origin of an {@code encrypted_content} Switchboard did not pack: OpenAI made it. */
    static final String OPENAI = "openai";

    record Signature(String origin, String signature) {
    }

    private ReasoningCodec() {
    }

    static String encode(String origin, String signature) {
        return OPENAI.equals(origin) ? signature : PREFIX + origin + ":" + signature;
    }

    /** The origin and signature, or null when there is none. */
    static Signature decode(String encrypted) {
        if (encrypted == null || encrypted.isEmpty()) {
            return null;
        }
        if (encrypted.startsWith(PREFIX)) {
            int colon = encrypted.indexOf(':', PREFIX.length());
            if (colon > 0) {
                return new Signature(encrypted.substring(PREFIX.length(), colon), encrypted.substring(colon + 1));
            }
        }
        return new Signature(OPENAI, encrypted);
    }
}
