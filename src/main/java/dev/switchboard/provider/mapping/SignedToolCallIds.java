package dev.switchboard.provider.mapping;

import dev.switchboard.json.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * Tool-call ids that carry a Gemini thought signature, {@code <base>__thought__<signature>}, as
 * the Gemini connector hands them to clients (docs/protocols/openai-to-gemini.md B6.2, LiteLLM's layout), seen
 * from the connectors that must not forward them. Shared and stateless.
 *
 * <p>A conversation whose earlier turns Gemini answered may be routed to another provider next
 * (an alias falling back across providers). The client sends Gemini's ids back unchanged, and a
 * signature makes them hundreds of characters long: OpenAI rejects a tool-call id over 40
 * characters ("string too long. Expected a string with maximum length 40", seen in many client
 * issue threads), and the signature means nothing to anyone but Gemini. LiteLLM strips the suffix
 * for non-Gemini providers; Switchboard replaces the whole id with {@link #shorten}, a short id
 * derived from all of it, so that a tool call and the result answering it, which carry the same
 * id, still match, in this request and the next, without any state. The client's own history
 * keeps the long ids, so the signature is still there when a later turn goes back to Gemini.
 */
public final class SignedToolCallIds {
    /** Between the base id and the signature; the Gemini connector's and LiteLLM's separator. */
    public static final String MARKER = "__thought__";
    /** The prefix of a shortened id, OpenAI's own. */
    static final String PREFIX = "call_";
    /**
     * 96 bits of the id's SHA-256: a collision within one conversation is out of reach, and
     * {@code call_} plus 24 hex digits is 29 characters, under OpenAI's 40, shaped like its ids.
     */
    static final int HASH_HEX_DIGITS = 24;
    private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);

    private SignedToolCallIds() {
    }

    /** Whether {@code id} carries a thought signature. */
    public static boolean isSigned(String id) {
        return id.contains(MARKER);
    }

    /**
     * {@code id} itself when it carries no signature, else {@code call_} plus a hash of the whole
     * id: deterministic, so every occurrence of one id becomes the same short id, and distinct ids
     * stay distinct.
     */
    public static String shorten(String id) {
        if (!isSigned(id)) {
            return id;
        }
        return PREFIX + IdHash.hex(id, HASH_HEX_DIGITS);
    }

    /**
     * Whether the first {@code length} bytes of a JSON body contain {@link #MARKER} at all: a plain
     * byte search, so that a relay can leave a body it need not touch without parsing it. A marker
     * spelled with JSON escapes ({@code \u005f}) is not seen; no client escapes underscores.
     */
    public static boolean mayAppearIn(byte[] body, int length) {
        return Bytes.indexOf(body, 0, length, MARKER_BYTES) >= 0;
    }
}
