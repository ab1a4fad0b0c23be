package dev.switchboard.provider.anthropic;

import java.util.Locale;

/**
 * What a Claude model accepts, read from the version in its id, because requests that are valid
 * for one generation are a 400 on another. Shared and stateless.
 *
 * <p>The cut-offs (anthropic-messages.md §4.3; Anthropic's "what's new" notes for 4.6 and 4.7):
 * extended thinking exists from 3.7; {@code thinking.type:"enabled"} with {@code budget_tokens} is
 * deprecated on 4.6 and rejected from 4.7, where only {@code "adaptive"} plus
 * {@code output_config.effort} works; {@code temperature}, {@code top_p} and {@code top_k} are
 * rejected from 4.7 ("`temperature` is deprecated for this model"). An id without a readable
 * version (a new family name) is treated as the newest generation, the only safe guess for a model
 * released after this code.
 */
final class ClaudeModels {
    /** How a model takes extended thinking. */
    enum Thinking { NONE, BUDGET, ADAPTIVE }

    /**
     * @param thinking how {@code reasoning_effort} must be expressed, if at all
     * @param sampling whether temperature/top_p/top_k are accepted at all
     * @param xhighEffort whether {@code output_config.effort:"xhigh"} exists for it
     */
    record Traits(Thinking thinking, boolean sampling, boolean xhighEffort) {
    }

    /** First version with extended thinking (Claude 3.7 Sonnet). */
    static final int THINKING_SINCE = version(3, 7);
    /** First version with adaptive thinking; "enabled" still works here, but is deprecated. */
    static final int ADAPTIVE_SINCE = version(4, 6);
    /** First version that rejects sampling parameters and budget thinking, and knows effort "xhigh". */
    static final int SAMPLING_REMOVED_SINCE = version(4, 7);

    private static final Traits NEWEST = new Traits(Thinking.ADAPTIVE, false, true);

    private ClaudeModels() {
    }

    static Traits traits(String modelId) {
        int version = parseVersion(modelId);
        if (version < 0) {
            return NEWEST;
        }
        Thinking thinking = version < THINKING_SINCE ? Thinking.NONE
                : version < ADAPTIVE_SINCE ? Thinking.BUDGET : Thinking.ADAPTIVE;
        boolean modern = version >= SAMPLING_REMOVED_SINCE;
        return new Traits(thinking, !modern, modern);
    }

    /**
     * The version as {@code major * 100 + minor}, or -1. Ids put it before or after the family
     * name ({@code claude-3-7-sonnet-20250219}, {@code claude-sonnet-4-5-20250929},
     * {@code claude-sonnet-4-20250514}, {@code claude-fable-5}); a dated suffix is not a minor
     * version, so only one- and two-digit numbers count.
     */
    static int parseVersion(String modelId) {
        String[] tokens = modelId.toLowerCase(Locale.ROOT).split("[-.@:_/]");
        for (int i = 0; i < tokens.length; i++) {
            if (isSmallNumber(tokens[i])) {
                int major = Integer.parseInt(tokens[i]);
                int minor = i + 1 < tokens.length && isSmallNumber(tokens[i + 1]) ? Integer.parseInt(tokens[i + 1]) : 0;
                return version(major, minor);
            }
        }
        return -1;
    }

    private static boolean isSmallNumber(String token) {
        if (token.isEmpty() || token.length() > 2) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (!Character.isDigit(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int version(int major, int minor) {
        return major * 100 + minor;
    }
}
