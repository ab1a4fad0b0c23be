package dev.switchboard.provider.anthropic;

import dev.switchboard.provider.mapping.ModelVersions;

/**
 * What a Claude model accepts, read from the version in its id, because requests that are valid
 * for one generation are a 400 on another. Shared and stateless.
 *
 * <p>The cut-offs (docs/protocols/anthropic-messages.md §4.3; Anthropic's "what's new" notes for 4.6 and 4.7):
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
    static final int THINKING_SINCE = ModelVersions.of(3, 7);
    /** First version with adaptive thinking; "enabled" still works here, but is deprecated. */
    static final int ADAPTIVE_SINCE = ModelVersions.of(4, 6);
    /** First version that rejects sampling parameters and budget thinking, and knows effort "xhigh". */
    static final int SAMPLING_REMOVED_SINCE = ModelVersions.of(4, 7);

    private static final Traits NEWEST = new Traits(Thinking.ADAPTIVE, false, true);

    private ClaudeModels() {
    }

    static Traits traits(String modelId) {
        int version = ModelVersions.parse(modelId);
        if (version == ModelVersions.UNKNOWN) {
            return NEWEST;
        }
        Thinking thinking = version < THINKING_SINCE ? Thinking.NONE
                : version < ADAPTIVE_SINCE ? Thinking.BUDGET : Thinking.ADAPTIVE;
        boolean modern = version >= SAMPLING_REMOVED_SINCE;
        return new Traits(thinking, !modern, modern);
    }
}
