package dev.switchboard.json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

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
    /**
     * Parsson's {@code maxBigDecimalLength} default: a longer number token cannot be built into a
     * value, so a value holding one fails to read.
     */
    static final int MAX_NUMBER_LENGTH = 1100;

    /** Most digits of an integer read as a long without overflow (18 nines fit). */
    private static final int MAX_PLAIN_DIGITS = 18;

    private static final int FAILED = -1;
    /** The parent's position while a child entered with {@link #enter()} walks. */
    private static final int IN_CHILD = -2;

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

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
    private boolean keyEscaped;
    private int valueStart;
    /** Set by {@link #string(int)}: whether the last string lexed holds a backslash. */
    private boolean escaped;

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
            int afterKey = at < end && json[at] == '"' ? string(at) : FAILED;
            if (afterKey < 0) {
                return fail(true);
            }
            keyStart = at + 1;
            keyEnd = afterKey - 1;
            keyEscaped = escaped;
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
        if (!keyEscaped) {
            if (keyEnd - keyStart != name.length) {
                return false;
            }
            for (int i = 0; i < name.length; i++) {
                if (json[keyStart + i] != name[i]) {
                    return false;
                }
            }
            return true;
        }
        return decode(keyStart, keyEnd).equals(new String(name, StandardCharsets.US_ASCII));
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
        pos = skipValue(valueStart);
    }

    /** Passes over the current value checking it as the parser's getValue would; false if malformed. */
    public boolean validate() {
        pending = false;
        pos = value(valueStart, depth + 1);
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
        int after = json[valueStart] == '"' ? string(valueStart) : FAILED;
        pos = after;
        return after < 0 ? null : decode(valueStart + 1, after - 1);
    }

    // ---- lexing and checking -------------------------------------------------------------------

    /** Past the string token at {@code at} (a quote), or FAILED; sets {@link #escaped}. */
    private int string(int at) {
        escaped = false;
        int i = at + 1;
        while (i < end) {
            byte b = json[i];
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                escaped = true;
                if (i + 1 >= end) {
                    return FAILED;
                }
                switch (json[i + 1]) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> i += 2;
                    case 'u' -> {
                        if (i + 5 >= end || !hex(json[i + 2]) || !hex(json[i + 3]) || !hex(json[i + 4]) || !hex(json[i + 5])) {
                            return FAILED;
                        }
                        i += 6;
                    }
                    default -> {
                        return FAILED;
                    }
                }
            } else if (b >= 0 && b < 0x20) {
                // A control character must be escaped (RFC 8259 §7).
                return FAILED;
            } else {
                i++;
            }
        }
        return FAILED;
    }

    private static boolean hex(byte b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F';
    }

    /**
     * Past the number token at {@code at}, or FAILED. A number the parser builds into a value
     * ({@code build}) must also be one Parsson can make a BigDecimal of.
     */
    private int number(int at, boolean build) {
        int i = at;
        if (json[i] == '-') {
            i++;
        }
        if (i >= end || json[i] < '0' || json[i] > '9') {
            return FAILED;
        }
        if (json[i] == '0') {
            // "01" is two tokens, 0 and 1; the grammar refuses the second.
            i++;
        } else {
            i = digits(i);
        }
        if (i < end && json[i] == '.') {
            int fraction = digits(i + 1);
            if (fraction == i + 1) {
                return FAILED;
            }
            i = fraction;
        }
        boolean exponent = i < end && (json[i] == 'e' || json[i] == 'E');
        if (exponent) {
            int sign = i + 1 < end && (json[i + 1] == '+' || json[i + 1] == '-') ? i + 2 : i + 1;
            int digits = digits(sign);
            if (digits == sign) {
                return FAILED;
            }
            i = digits;
        }
        if (build && (i - at > MAX_NUMBER_LENGTH || exponent && !bigDecimal(at, i))) {
            return FAILED;
        }
        return i;
    }

    private int digits(int at) {
        int i = at;
        while (i < end && json[i] >= '0' && json[i] <= '9') {
            i++;
        }
        return i;
    }

    /** Whether BigDecimal takes the number: an exponent beyond an int's range is refused. */
    private boolean bigDecimal(int from, int to) {
        try {
            new BigDecimal(new String(json, from, to - from, StandardCharsets.US_ASCII));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private int literal(int at, byte[] word) {
        return Bytes.regionMatches(json, at, word) && at + word.length <= end ? at + word.length : FAILED;
    }

    /** Past the scalar token at {@code at}, or FAILED when no scalar starts there. */
    private int scalar(int at, boolean build) {
        return switch (json[at]) {
            case '"' -> string(at);
            case 't' -> literal(at, TRUE);
            case 'f' -> literal(at, FALSE);
            case 'n' -> literal(at, NULL);
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number(at, build);
            default -> FAILED;
        };
    }

    /** The skipObject/skipArray walk: tokens checked, brackets of the value's own kind counted. */
    private int skipValue(int at) {
        if (at < 0 || at >= end) {
            return FAILED;
        }
        byte open = json[at];
        if (open != '{' && open != '[') {
            return scalar(at, false);
        }
        byte close = open == '{' ? (byte) '}' : (byte) ']';
        int nesting = 1;
        int i = at + 1;
        while (true) {
            i = Bytes.skipWhitespace(json, i, end);
            if (i >= end) {
                return FAILED;
            }
            byte b = json[i];
            if (b == open) {
                nesting++;
                i++;
            } else if (b == close) {
                i++;
                if (--nesting == 0) {
                    return i;
                }
            } else if (b == '{' || b == '}' || b == '[' || b == ']' || b == ',' || b == ':') {
                i++;
            } else {
                i = scalar(i, false);
                if (i < 0) {
                    return FAILED;
                }
            }
        }
    }

    /** The getValue walk over the value at {@code at}, a container there being at {@code nesting}. */
    private int value(int at, int nesting) {
        if (at < 0 || at >= end) {
            return FAILED;
        }
        byte open = json[at];
        if (open != '{' && open != '[') {
            return scalar(at, true);
        }
        if (nesting > Json.MAX_DEPTH) {
            return FAILED;
        }
        boolean object = open == '{';
        byte close = object ? (byte) '}' : (byte) ']';
        int i = Bytes.skipWhitespace(json, at + 1, end);
        if (i < end && json[i] == close) {
            return i + 1;
        }
        while (true) {
            if (object) {
                i = i < end && json[i] == '"' ? string(i) : FAILED;
                if (i < 0) {
                    return FAILED;
                }
                i = Bytes.skipWhitespace(json, i, end);
                if (i >= end || json[i] != ':') {
                    return FAILED;
                }
                i = Bytes.skipWhitespace(json, i + 1, end);
            }
            i = value(i, nesting + 1);
            if (i < 0) {
                return FAILED;
            }
            i = Bytes.skipWhitespace(json, i, end);
            if (i >= end) {
                return FAILED;
            }
            if (json[i] == close) {
                return i + 1;
            }
            if (json[i] != ',') {
                return FAILED;
            }
            i = Bytes.skipWhitespace(json, i + 1, end);
        }
    }

    /** The string whose content is {@code json[from, to)}, checked already, with its escapes undone. */
    private String decode(int from, int to) {
        String raw = new String(json, from, to - from, StandardCharsets.UTF_8);
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder text = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                text.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    text.append((char) Integer.parseInt(raw, i + 1, i + 5, 16));
                    i += 4;
                }
                default -> text.append(e);
            }
        }
        return text.toString();
    }
}
