package dev.switchboard.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Walks the members of one JSON object, or the elements of one array, in UTF-8 bytes without
 * decoding them, for hot paths that want a few members of a large reply (usage, a finish_reason):
 * a value the caller does not want is passed over byte by byte, with no String, token or tree.
 * Per call: a cursor over one text, not thread-safe.
 *
 * <p>It accepts and refuses what the gateway's JSON-P parser ({@link Json#parser}, Parsson) does
 * on the same walk, so that a reader moved from the parser to the skimmer reads the same facts
 * from the same bytes:
 * <ul>
 *   <li>{@link #skip()} checks a value as {@code JsonParser.skipObject/skipArray} do: every token
 *       well formed (strings, escapes, numbers, literals), only brackets of the value's own kind
 *       counted; nesting is not limited, since counting needs no stack.</li>
 *   <li>{@link #validate()} and {@link #enter()} check a value as {@code getObject/getArray}
 *       check what they build: the whole grammar, nesting up to {@link Json#MAX_DEPTH} (counted
 *       from the outermost value), and numbers Parsson can turn into a {@code BigDecimal}.</li>
 * </ul>
 * Where Parsson spins for ever (a skipped object or array cut off by the end of the text), the
 * skimmer fails. UTF-8 continuation bytes are never ASCII, so a byte-wise walk is exact; bytes
 * that are not valid UTF-8 inside a string are accepted, as Parsson accepts the U+FFFD a decoder
 * puts in their place.
 */
public final class JsonSkimmer {
    /** Most digits of an integer read as a long without overflow (18 nines fit). */
    private static final int MAX_PLAIN_DIGITS = 18;

    private static final int FAILED = JsonLexer.FAILED;
    /** The parent's position while a child entered with {@link #enter()} walks. */
    private static final int IN_CHILD = -2;
    private static final byte[] BACKSLASH = {'\\'};

    private final byte[] json;
    private final int end;
    private final JsonSkimmer parent;
    /** Nesting of this object or array, the outermost being 1. */
    private final int depth;
    private final byte close;
    private int pos;
    private boolean started;
    private boolean closed;
    /** Whether the current value has not been passed over yet. */
    private boolean pending;
    private int keyStart;
    private int keyEnd;
    private int valueStart;

    private JsonSkimmer(byte[] json, int end, JsonSkimmer parent, int depth, byte close, int pos) {
        this.json = json;
        this.end = end;
        this.parent = parent;
        this.depth = depth;
        this.close = close;
        this.pos = pos;
    }

    /**
     * A walk over the members of the object that {@code json[0, length)} holds (whitespace around
     * it allowed); whatever follows the object is not looked at, as a parser reading up to the
     * object's end does not.
     */
    public static JsonSkimmer object(byte[] json, int length) {
        int at = Bytes.skipWhitespace(json, 0, length);
        boolean object = at < length && json[at] == '{';
        return new JsonSkimmer(json, length, null, 1, (byte) '}', object ? at + 1 : FAILED);
    }

    /**
     * Moves to the next member (or element), past its key and colon; false at the end of the
     * object or when the text is malformed ({@link #failed()}). A value not passed over yet is
     * {@link #skip() skipped} first.
     */
    public boolean next() {
        if (pending) {
            skip();
        }
        if (closed || pos < 0) {
            return fail(pos == IN_CHILD);
        }
        int at = Bytes.skipWhitespace(json, pos, end);
        if (at >= end) {
            return fail(true);
        }
        if (json[at] == close && !started) {
            return close(at);
        }
        if (started) {
            if (json[at] == close) {
                return close(at);
            }
            if (json[at] != ',') {
                return fail(true);
            }
            at = Bytes.skipWhitespace(json, at + 1, end);
        }
        started = true;
        if (close == '}') {
            int afterKey = at < end && json[at] == '"' ? JsonLexer.string(json, end, at) : FAILED;
            if (afterKey < 0) {
                return fail(true);
            }
            keyStart = at + 1;
            keyEnd = afterKey - 1;
            at = Bytes.skipWhitespace(json, afterKey, end);
            if (at >= end || json[at] != ':') {
                return fail(true);
            }
            at = Bytes.skipWhitespace(json, at + 1, end);
        }
        if (at >= end) {
            return fail(true);
        }
        valueStart = at;
        pos = at;
        pending = true;
        return true;
    }

    private boolean close(int at) {
        pos = at + 1;
        closed = true;
        if (parent != null) {
            parent.pos = pos;
        }
        return false;
    }

    private boolean fail(boolean fail) {
        if (fail) {
            pos = FAILED;
            if (parent != null) {
                parent.pos = FAILED;
            }
        }
        return false;
    }

    /** Whether the walk stopped on malformed text (or on a misuse: moving on inside a child). */
    public boolean failed() {
        return pos == FAILED || pos == IN_CHILD;
    }

    /** Whether the current member's name, decoded, is {@code name} (ASCII, no quotes). */
    public boolean keyIs(byte[] name) {
        if (Arrays.equals(json, keyStart, keyEnd, name, 0, name.length)) {
            return true;
        }
        // A name written with escapes ("us\u0061ge") is the parser's "usage" too.
        return Bytes.indexOf(json, keyStart, keyEnd, BACKSLASH) >= 0
                && JsonLexer.decode(json, keyStart, keyEnd).equals(new String(name, StandardCharsets.US_ASCII));
    }

    /**
     * The first byte of the current value: '{', '[', '"', '-' or a digit for a number, 't', 'f',
     * 'n' for a literal; anything else is malformed.
     */
    public byte kind() {
        return json[valueStart];
    }

    /** Whether the current value is a number. */
    public boolean isNumber() {
        byte b = json[valueStart];
        return b == '-' || b >= '0' && b <= '9';
    }

    /** Where the current value begins. */
    public int valueStart() {
        return valueStart;
    }

    /** Where the walk is: past the value passed over last, or past the closing bracket. */
    public int position() {
        return pos;
    }

    /** Passes over the current value as the parser's skipObject/skipArray would. */
    public void skip() {
        pending = false;
        pos = JsonLexer.skip(json, end, valueStart);
    }

    /** Passes over the current value checking it as the parser's getValue would; false if malformed. */
    public boolean validate() {
        pending = false;
        pos = JsonLexer.value(json, end, valueStart, depth + 1);
        return pos >= 0;
    }

    /**
     * A walk over the current value, an object or an array, checked as {@link #validate()} checks
     * it; this walk goes on past it once the child has reached its end (walk the child to the end,
     * {@link #next()} returning false, before moving on here).
     */
    public JsonSkimmer enter() {
        pending = false;
        byte b = json[valueStart];
        int childDepth = depth + 1;
        if ((b != '{' && b != '[') || childDepth > Json.MAX_DEPTH) {
            pos = FAILED;
            return new JsonSkimmer(json, end, this, childDepth, (byte) '}', FAILED);
        }
        pos = IN_CHILD;
        return new JsonSkimmer(json, end, this, childDepth, b == '{' ? (byte) '}' : (byte) ']', valueStart + 1);
    }

    /**
     * Whether the current value is an integer read exactly by {@link #plainInteger()}: an optional
     * minus and at most 18 digits, no fraction or exponent. Other numbers are left to a parser.
     */
    public boolean isPlainInteger() {
        int at = valueStart;
        if (json[at] == '-') {
            at++;
        }
        int digits = 0;
        while (at < end && json[at] >= '0' && json[at] <= '9') {
            at++;
            digits++;
        }
        boolean leadingZero = digits > 1 && json[at - digits] == '0';
        return digits > 0 && digits <= MAX_PLAIN_DIGITS && !leadingZero
                && (at >= end || json[at] != '.' && json[at] != 'e' && json[at] != 'E');
    }

    /** The current value, which {@link #isPlainInteger()}; passes over it. */
    public long plainInteger() {
        pending = false;
        int at = valueStart;
        boolean negative = json[at] == '-';
        if (negative) {
            at++;
        }
        long value = 0;
        while (at < end && json[at] >= '0' && json[at] <= '9') {
            value = value * 10 + (json[at++] - '0');
        }
        pos = at;
        return negative ? -value : value;
    }

    /** The current value, a string, decoded; passes over it. Null (and failed) if it is malformed. */
    public String string() {
        pending = false;
        int after = json[valueStart] == '"' ? JsonLexer.string(json, end, valueStart) : FAILED;
        pos = after;
        return after < 0 ? null : JsonLexer.decode(json, valueStart + 1, after - 1);
    }
}
