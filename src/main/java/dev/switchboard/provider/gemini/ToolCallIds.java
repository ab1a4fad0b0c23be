package dev.switchboard.provider.gemini;

import dev.switchboard.provider.mapping.SignedToolCallIds;

/**
 * The tool-call ids Switchboard gives OpenAI clients for Gemini's {@code functionCall} parts, and
 * their decoding when the client sends them back in its history. Stateless.
 *
 * <p>An OpenAI client returns a tool call exactly as received, id included, and drops fields it
 * does not know. So whatever Gemini needs again must ride inside the id (docs/protocols/openai-to-gemini.md
 * B6.2): the part's {@code thoughtSignature}, which thinking models reject the next turn without
 * (A2.2), and Gemini's own {@code functionCall.id} when it sent one. The layout is
 * {@code <base>[__thought__<signature>]}; the separator is LiteLLM's, so histories made through
 * LiteLLM restore too. The signature is carried verbatim; decoding splits at the first
 * separator, which a base never contains, so whatever follows is the signature unchanged.
 */
final class ToolCallIds {
    /**
     * Between the base id and the thought signature; LiteLLM's {@code THOUGHT_SIGNATURE_SEPARATOR}.
     * The other connectors look for it to keep these long ids from their upstreams.
     */
    static final String SIGNATURE_SEPARATOR = SignedToolCallIds.MARKER;
    /** Ids Switchboard made up because Gemini sent none. */
    static final String GENERATED_PREFIX = "call_";
    /** Ids that wrap Gemini's own {@code functionCall.id}, which goes back upstream on the next turn. */
    static final String GEMINI_ID_PREFIX = "gcall_";

    /** What an id brought back: Gemini's call id and the thought signature, each null when absent. */
    record Decoded(String geminiId, String signature) {
    }

    private ToolCallIds() {
    }

    /**
     * The id of the {@code call}-th function call (0-based, per choice) of {@code choice} in the
     * reply {@code responseKey}. Deterministic, so the streamed and the whole reply agree, and
     * unique across a conversation because each reply has its own key.
     */
    static String forCall(String geminiId, String responseKey, int choice, int call, String signature) {
        String base = geminiId != null && !geminiId.isEmpty()
                ? GEMINI_ID_PREFIX + geminiId
                : GENERATED_PREFIX + responseKey + "_" + choice + "_" + call;
        return signature == null || signature.isEmpty() ? base : base + SIGNATURE_SEPARATOR + signature;
    }

    static Decoded decode(String id) {
        if (id == null) {
            return new Decoded(null, null);
        }
        int separator = id.indexOf(SIGNATURE_SEPARATOR);
        String base = separator < 0 ? id : id.substring(0, separator);
        String signature = separator < 0 ? null : id.substring(separator + SIGNATURE_SEPARATOR.length());
        String geminiId = base.startsWith(GEMINI_ID_PREFIX) && base.length() > GEMINI_ID_PREFIX.length()
                ? base.substring(GEMINI_ID_PREFIX.length()) : null;
        return new Decoded(geminiId, signature == null || signature.isEmpty() ? null : signature);
    }
}
