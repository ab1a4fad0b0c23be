package dev.switchboard.provider.anthropic;

import dev.switchboard.provider.mapping.IdHash;
import dev.switchboard.provider.mapping.SignedToolCallIds;

/**
 * Makes a client's tool-call id acceptable as an Anthropic {@code tool_use.id}, which must match
 * {@code ^[a-zA-Z0-9_-]+$}. OpenAI's own {@code call_…} ids pass unchanged; ids minted by other
 * backends ({@code functions.get_weather:0}) would be a 400. Shared and stateless.
 *
 * <p>An id that must be rewritten has every other character replaced by {@link #REPLACEMENT} and
 * gets {@code _} plus the first {@link #HASH_HEX_DIGITS} hex digits of the original's SHA-256
 * appended: replacement alone is not one-to-one ({@code fn.a:1} and {@code fn.a.1} would both be
 * {@code fn_a_1}, and duplicate {@code tool_use} ids are an Anthropic 400), while the hash keeps
 * distinct ids distinct. The rewrite is deterministic, so a {@code tool_use} and the
 * {@code tool_result} answering it still match, in this request and the next.
 *
 * <p>An id that carries a Gemini thought signature (a conversation Gemini answered before, now
 * routed to Claude) is first cut to its short form ({@link SignedToolCallIds#shorten}): the
 * signature is hundreds of characters of base64 that mean nothing to Claude, and the short form
 * is derived from the whole id, so the pair still matches.
 */
final class ToolIds {
    /** Stands in for every character outside Anthropic's id alphabet. */
    static final char REPLACEMENT = '_';
    /** 48 bits of the original id's hash: a collision between two ids of one conversation is out of reach. */
    static final int HASH_HEX_DIGITS = 12;

    private ToolIds() {
    }

    static String sanitise(String signedOrNot) {
        String id = SignedToolCallIds.shorten(signedOrNot);
        StringBuilder out = null;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            if (!allowed && out == null) {
                out = new StringBuilder(id.length() + 1 + HASH_HEX_DIGITS).append(id, 0, i);
            }
            if (out != null) {
                out.append(allowed ? c : REPLACEMENT);
            }
        }
        return out == null ? id : out.append(REPLACEMENT).append(IdHash.hex(id, HASH_HEX_DIGITS)).toString();
    }

}
