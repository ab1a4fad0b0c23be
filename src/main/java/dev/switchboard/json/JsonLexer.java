package dev.switchboard.json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * The token and value checks behind {@link JsonSkimmer}, over UTF-8 bytes {@code json[at, end)}:
 * each returns where the token or value ends, or {@link #FAILED}. What they accept is what the
 * JSON-P parser (Parsson) accepts on the same walk; see JsonSkimmer. Stateless.
 */
final class JsonLexer {
    static final int FAILED = -1;

    /**
     * Parsson's {@code maxBigDecimalLength} default: a longer number token cannot be built into a
     * value, so a value holding one fails to read.
     */
    static final int MAX_NUMBER_LENGTH = 1100;

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private JsonLexer() {
    }

    /** Past the string token at {@code at} (a quote), or FAILED. */
    static int string(byte[] json, int end, int at) {
        int i = at + 1;
        while (i < end) {
            byte b = json[i];
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
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
    private static int number(byte[] json, int end, int at, boolean build) {
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
            i = digits(json, end, i);
        }
        if (i < end && json[i] == '.') {
            int fraction = digits(json, end, i + 1);
            if (fraction == i + 1) {
                return FAILED;
            }
            i = fraction;
        }
        boolean exponent = i < end && (json[i] == 'e' || json[i] == 'E');
        if (exponent) {
            int sign = i + 1 < end && (json[i + 1] == '+' || json[i + 1] == '-') ? i + 2 : i + 1;
            int digits = digits(json, end, sign);
            if (digits == sign) {
                return FAILED;
            }
            i = digits;
        }
        if (build && (i - at > MAX_NUMBER_LENGTH || exponent && !bigDecimal(json, at, i))) {
            return FAILED;
        }
        return i;
    }

    private static int digits(byte[] json, int end, int at) {
        int i = at;
        while (i < end && json[i] >= '0' && json[i] <= '9') {
            i++;
        }
        return i;
    }

    /** Whether BigDecimal takes the number: an exponent beyond an int's range is refused. */
    private static boolean bigDecimal(byte[] json, int from, int to) {
        try {
            new BigDecimal(new String(json, from, to - from, StandardCharsets.US_ASCII));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int literal(byte[] json, int end, int at, byte[] word) {
        return Bytes.regionMatches(json, at, word) && at + word.length <= end ? at + word.length : FAILED;
    }

    /** Past the scalar token at {@code at}, or FAILED when no scalar starts there. */
    private static int scalar(byte[] json, int end, int at, boolean build) {
        return switch (json[at]) {
            case '"' -> string(json, end, at);
            case 't' -> literal(json, end, at, TRUE);
            case 'f' -> literal(json, end, at, FALSE);
            case 'n' -> literal(json, end, at, NULL);
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number(json, end, at, build);
            default -> FAILED;
        };
    }

    /** The skipObject/skipArray walk: tokens checked, brackets of the value's own kind counted. */
    static int skip(byte[] json, int end, int at) {
        if (at < 0 || at >= end) {
            return FAILED;
        }
        byte open = json[at];
        if (open != '{' && open != '[') {
            return scalar(json, end, at, false);
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
                i = scalar(json, end, i, false);
                if (i < 0) {
                    return FAILED;
                }
            }
        }
    }

    /** The getValue walk over the value at {@code at}, a container there being at {@code nesting}. */
    static int value(byte[] json, int end, int at, int nesting) {
        if (at < 0 || at >= end) {
            return FAILED;
        }
        byte open = json[at];
        if (open != '{' && open != '[') {
            return scalar(json, end, at, true);
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
                i = i < end && json[i] == '"' ? string(json, end, i) : FAILED;
                if (i < 0) {
                    return FAILED;
                }
                i = Bytes.skipWhitespace(json, i, end);
                if (i >= end || json[i] != ':') {
                    return FAILED;
                }
                i = Bytes.skipWhitespace(json, i + 1, end);
            }
            i = value(json, end, i, nesting + 1);
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
    static String decode(byte[] json, int from, int to) {
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
