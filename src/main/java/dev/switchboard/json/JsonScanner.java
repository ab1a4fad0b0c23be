package dev.switchboard.json;

import java.nio.charset.StandardCharsets;

/**
 * A pull scanner over one UTF-8 JSON object held in memory, for the stream paths that read a few
 * fields of every event and need no tree: the caller walks the members in the order they come,
 * reads the values it wants and skips the rest. Per text; not thread-safe.
 *
 * <p>It accepts only what it can read exactly and cheaply, and gives up with {@link NotScanned}
 * on anything else, so that the caller parses the text whole ({@link Json#parseObject(byte[])})
 * and gets the tree parser's answer, its errors included: every value it passes over is checked
 * against RFC 8259's grammar, strings must be well-formed UTF-8 (the tree parser's decoding
 * replaces malformed bytes, and where the replacement characters fall depends on what follows),
 * and keys with escapes, numbers read as integers that are not plain integers of up to
 * {@link #MAX_DIGITS} digits, and nesting deeper than {@link #MAX_DEPTH} are left to the tree
 * parser. String values are unescaped as the tree parser does (RFC 8259 §7): every escape, a
 * {@code \}{@code uXXXX} giving one UTF-16 unit, so a surrogate pair gives a pair and a lone
 * surrogate stays one.
 */
public final class JsonScanner {
    /** Nesting passed over before giving up; the events read this way are three or four deep. */
    static final int MAX_DEPTH = 32;

    /** Longest integer read as a {@code long}: 18 decimal digits never overflow. */
    static final int MAX_DIGITS = 18;

    /** What the scanner does not read; thrown without a stack trace, the caller parses instead. */
    public static final class NotScanned extends RuntimeException {
        private static final NotScanned INSTANCE = new NotScanned();

        private NotScanned() {
            super("not read by the scanner", null, false, false);
        }
    }

    private final byte[] json;
    private final int end;
    private int at;
    /** Just past an object's {@code {}: the next member needs no comma before it. */
    private boolean atObjectStart;
    private int keyStart;
    private int keyEnd;

    /** Scans {@code json[offset, offset + length)}. */
    public JsonScanner(byte[] json, int offset, int length) {
        this.json = json;
        this.at = offset;
        this.end = offset + length;
    }

    public JsonScanner(byte[] json) {
        this(json, 0, json.length);
    }

    /** Reads the {@code {} that opens the next value, which must be an object. */
    public void beginObject() {
        if (peek() != '{') {
            throw NotScanned.INSTANCE;
        }
        at++;
        atObjectStart = true;
    }

    /**
     * Reads the next value's {@code {} when it is an object; otherwise passes the value over and
     * returns false ({@code null} included, as a missing member).
     */
    public boolean beginObjectIfAny() {
        if (peek() == '{') {
            beginObject();
            return true;
        }
        skipValue();
        return false;
    }

    /**
     * Moves to the next member of the object being read and reads its key, or reads the
     * object's {@code }} and returns false when it has no more.
     */
    public boolean nextMember() {
        byte b = peek();
        if (b == '}') {
            at++;
            atObjectStart = false;
            return false;
        }
        if (!atObjectStart) {
            if (b != ',') {
                throw NotScanned.INSTANCE;
            }
            at++;
            b = peek();
        }
        atObjectStart = false;
        if (b != '"') {
            throw NotScanned.INSTANCE;
        }
        keyStart = ++at;
        while (at < end && json[at] != '"') {
            int c = json[at] & 0xFF;
            if (c == '\\' || c < 0x20) {
                throw NotScanned.INSTANCE;
            }
            at++;
        }
        if (at == end) {
            throw NotScanned.INSTANCE;
        }
        keyEnd = at++;
        if (peek() != ':') {
            throw NotScanned.INSTANCE;
        }
        at++;
        return true;
    }

    /** Whether the member just read by {@link #nextMember()} is named {@code asciiName}. */
    public boolean keyIs(byte[] asciiName) {
        if (keyEnd - keyStart != asciiName.length) {
            return false;
        }
        for (int i = 0; i < asciiName.length; i++) {
            if (json[keyStart + i] != asciiName[i]) {
                return false;
            }
        }
        return true;
    }

    /** The next value when it is a string, unescaped; null for any other value, which is passed over. */
    public String string() {
        if (peek() != '"') {
            skipValue();
            return null;
        }
        int start = at + 1;
        int close = scanString(start);
        at = close + 1;
        if (close == unescapedEnd) {
            return new String(json, start, close - start, StandardCharsets.UTF_8);
        }
        return unescape(start, close);
    }

    /**
     * The next value when it is an integer; {@code absent} for {@code null} and any value that is
     * not a number, which is passed over. A number with a fraction or an exponent, or longer than
     * {@link #MAX_DIGITS} digits, is not scanned.
     */
    public long integer(long absent) {
        byte b = peek();
        if (b != '-' && (b < '0' || b > '9')) {
            skipValue();
            return absent;
        }
        int start = at;
        scanNumber();
        boolean negative = json[start] == '-';
        int digits = negative ? start + 1 : start;
        if (at - digits > MAX_DIGITS) {
            throw NotScanned.INSTANCE;
        }
        long value = 0;
        for (int i = digits; i < at; i++) {
            byte d = json[i];
            if (d < '0' || d > '9') {
                throw NotScanned.INSTANCE;
            }
            value = value * 10 + (d - '0');
        }
        return negative ? -value : value;
    }

    /** As {@link #integer(long)}, for a value that must fit an {@code int}; a larger one is not scanned. */
    public int intValue(int absent) {
        long value = integer(absent);
        if (value != (int) value) {
            throw NotScanned.INSTANCE;
        }
        return (int) value;
    }

    /** Passes over the next value, whatever it is, checking its syntax. */
    public void skipValue() {
        skipValue(0);
    }

    /** Requires that nothing but whitespace follows the value read last. */
    public void end() {
        skipWhitespace();
        if (at != end) {
            throw NotScanned.INSTANCE;
        }
    }

    private void skipValue(int depth) {
        if (depth >= MAX_DEPTH) {
            throw NotScanned.INSTANCE;
        }
        switch (peek()) {
            case '{' -> {
                beginObject();
                while (nextMember()) {
                    skipValue(depth + 1);
                }
            }
            case '[' -> {
                at++;
                if (peek() == ']') {
                    at++;
                    return;
                }
                while (true) {
                    skipValue(depth + 1);
                    byte b = peek();
                    at++;
                    if (b == ']') {
                        return;
                    }
                    if (b != ',') {
                        throw NotScanned.INSTANCE;
                    }
                }
            }
            case '"' -> at = scanString(at + 1) + 1;
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            default -> scanNumber();
        }
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private void literal(byte[] word) {
        if (at + word.length > end) {
            throw NotScanned.INSTANCE;
        }
        for (int i = 0; i < word.length; i++) {
            if (json[at + i] != word[i]) {
                throw NotScanned.INSTANCE;
            }
        }
        at += word.length;
    }

    /** RFC 8259 §6: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
    private void scanNumber() {
        if (at < end && json[at] == '-') {
            at++;
        }
        if (at < end && json[at] == '0') {
            at++;
        } else if (digits() == 0) {
            throw NotScanned.INSTANCE;
        }
        if (at < end && json[at] == '.') {
            at++;
            if (digits() == 0) {
                throw NotScanned.INSTANCE;
            }
        }
        if (at < end && (json[at] == 'e' || json[at] == 'E')) {
            at++;
            if (at < end && (json[at] == '+' || json[at] == '-')) {
                at++;
            }
            if (digits() == 0) {
                throw NotScanned.INSTANCE;
            }
        }
    }

    private int digits() {
        int start = at;
        while (at < end && json[at] >= '0' && json[at] <= '9') {
            at++;
        }
        return at - start;
    }

    /** Where the last string scanned would have ended had it no escape; set by {@link #scanString}. */
    private int unescapedEnd;

    /**
     * Checks the string whose text starts at {@code start} and returns the index of its closing
     * quote. Sets {@link #unescapedEnd} to that index when the string holds no escape, to -1
     * otherwise.
     */
    private int scanString(int start) {
        boolean escaped = false;
        int i = start;
        while (i < end) {
            int c = json[i] & 0xFF;
            if (c == '"') {
                unescapedEnd = escaped ? -1 : i;
                return i;
            }
            if (c == '\\') {
                escaped = true;
                i = escapeEnd(i);
            } else if (c < 0x20) {
                throw NotScanned.INSTANCE;
            } else if (c < 0x80) {
                i++;
            } else {
                i = utf8SequenceEnd(i, c);
            }
        }
        throw NotScanned.INSTANCE;
    }

    /** Index past the escape starting at {@code i} (its backslash), which must be one RFC 8259 §7 defines. */
    private int escapeEnd(int i) {
        if (i + 1 >= end) {
            throw NotScanned.INSTANCE;
        }
        switch (json[i + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 2;
            }
            case 'u' -> {
                if (i + 6 > end) {
                    throw NotScanned.INSTANCE;
                }
                for (int k = i + 2; k < i + 6; k++) {
                    hexValue(json[k]);
                }
                return i + 6;
            }
            default -> throw NotScanned.INSTANCE;
        }
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        throw NotScanned.INSTANCE;
    }

    /**
     * Index past the well-formed UTF-8 sequence whose lead byte {@code lead} is at {@code i}
     * (RFC 3629 §4: no overlong forms, no surrogates, nothing above U+10FFFF).
     */
    private int utf8SequenceEnd(int i, int lead) {
        int length;
        int min = 0x80;
        int max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) {
                min = 0xA0;
            } else if (lead == 0xED) {
                max = 0x9F;
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) {
                min = 0x90;
            } else if (lead == 0xF4) {
                max = 0x8F;
            }
        } else {
            throw NotScanned.INSTANCE;
        }
        if (i + length > end) {
            throw NotScanned.INSTANCE;
        }
        int second = json[i + 1] & 0xFF;
        if (second < min || second > max) {
            throw NotScanned.INSTANCE;
        }
        for (int k = i + 2; k < i + length; k++) {
            if ((json[k] & 0xC0) != 0x80) {
                throw NotScanned.INSTANCE;
            }
        }
        return i + length;
    }

    /** The text of a checked string with escapes, {@code json[start, close)}. */
    private String unescape(int start, int close) {
        StringBuilder text = new StringBuilder(close - start);
        int run = start;
        int i = start;
        while (i < close) {
            if (json[i] != '\\') {
                i++;
                continue;
            }
            if (run < i) {
                text.append(new String(json, run, i - run, StandardCharsets.UTF_8));
            }
            byte kind = json[i + 1];
            switch (kind) {
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> text.append((char) (hexValue(json[i + 2]) << 12 | hexValue(json[i + 3]) << 8
                        | hexValue(json[i + 4]) << 4 | hexValue(json[i + 5])));
                default -> text.append((char) kind);
            }
            i += kind == 'u' ? 6 : 2;
            run = i;
        }
        if (run < close) {
            text.append(new String(json, run, close - run, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    private byte peek() {
        skipWhitespace();
        if (at >= end) {
            throw NotScanned.INSTANCE;
        }
        return json[at];
    }

    private void skipWhitespace() {
        while (at < end) {
            byte b = json[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            at++;
        }
    }
}
