package dev.switchboard.provider.mapping;

import java.util.Locale;

/**
 * Reads the generation out of a provider's model id ({@code claude-sonnet-4-5-20250929},
 * {@code gemini-2.5-flash}), for connectors whose providers accept different parameters from one
 * generation to the next. Shared and stateless.
 */
public final class ModelVersions {
    /** What {@link #parse} returns for an id without a readable version. */
    public static final int UNKNOWN = -1;
    /** Longest number read as a major or minor version; a dated suffix such as 20250929 is neither. */
    private static final int MAX_VERSION_DIGITS = 2;

    private ModelVersions() {
    }

    /** A version as one comparable number: {@code major * 100 + minor}. */
    public static int of(int major, int minor) {
        return major * 100 + minor;
    }

    /**
     * The version as {@code major * 100 + minor}, or {@link #UNKNOWN}. Ids put it before or after
     * the family name ({@code claude-3-7-sonnet-20250219}, {@code claude-sonnet-4-5-20250929},
     * {@code claude-sonnet-4-20250514}, {@code gemini-2.5-pro}, {@code models/gemini-3-pro-preview}):
     * the first one- or two-digit number is the major version, a directly following one the minor.
     */
    public static int parse(String modelId) {
        String[] tokens = modelId.toLowerCase(Locale.ROOT).split("[-.@:_/]");
        for (int i = 0; i < tokens.length; i++) {
            if (isSmallNumber(tokens[i])) {
                int major = Integer.parseInt(tokens[i]);
                int minor = i + 1 < tokens.length && isSmallNumber(tokens[i + 1]) ? Integer.parseInt(tokens[i + 1]) : 0;
                return of(major, minor);
            }
        }
        return UNKNOWN;
    }

    private static boolean isSmallNumber(String token) {
        if (token.isEmpty() || token.length() > MAX_VERSION_DIGITS) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (!Character.isDigit(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
