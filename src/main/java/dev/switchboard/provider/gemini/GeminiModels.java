package dev.switchboard.provider.gemini;

import dev.switchboard.provider.mapping.ModelVersions;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a Gemini model accepts for thinking, read from its id as {@code anthropic/ClaudeModels}
 * does for Claude, because a {@code thinkingConfig} that one model takes is a 400 on another.
 * Shared and stateless.
 *
 * <p>The cut-offs, from Google's thinking guide (ai.google.dev/gemini-api/docs/thinking) and
 * docs/protocols/openai-to-gemini.md A2.4, B6.1: thinking exists from 2.5, and a {@code thinkingConfig} sent to a
 * model without it is an error. {@code thinkingBudget: 0} turns thinking off on 2.5 Flash and
 * Flash-Lite only: 2.5 Pro rejects 0 ("cannot disable thinking"; its budgets run 128–32768), and
 * Gemini 3 models cannot turn thinking off either (their lowest level still thinks). An id without
 * a readable version ({@code gemini-flash-latest}) is taken as the newest generation, which
 * thinks and cannot be turned off: the guess that never sends a config the model rejects.
 *
 * <p>Gemini 3 also validates thought signatures: a {@code functionCall} part of the current turn
 * without one is a 400 (A2.2; Google's thought-signatures guide: "Gemini 3 will always have the
 * signature on the first function call part. It is mandatory", Gemini 2.5's are optional). An id
 * without a readable version is taken to validate them too.
 */
final class GeminiModels {
    /**
     * @param thinks whether {@code reasoning_effort} can be sent as a {@code thinkingConfig} at all
     * @param canTurnOff whether {@code thinkingBudget: 0} is accepted
     * @param requiresCallSignatures whether a function call of the current turn without a thought
     *     signature is rejected
     */
    record Traits(boolean thinks, boolean canTurnOff, boolean requiresCallSignatures) {
    }

    /** First version with thinking (Gemini 2.5). */
    static final int THINKING_SINCE = ModelVersions.of(2, 5);
    /** First version whose models all keep thinking on and validate thought signatures (Gemini 3). */
    static final int ALWAYS_THINKING_SINCE = ModelVersions.of(3, 0);

    /** The Flash family (Flash-Lite included): the models that may turn thinking off. */
    private static final Pattern FLASH = Pattern.compile("(^|[-./_])flash([-./_]|$)");
    private static final Traits NEWEST = new Traits(true, false, true);

    private GeminiModels() {
    }

    static Traits traits(String modelId) {
        int version = ModelVersions.parse(modelId);
        if (version == ModelVersions.UNKNOWN) {
            return NEWEST;
        }
        if (version < THINKING_SINCE) {
            return new Traits(false, false, false);
        }
        boolean flash = FLASH.matcher(modelId.toLowerCase(Locale.ROOT)).find();
        boolean gemini3 = version >= ALWAYS_THINKING_SINCE;
        return new Traits(true, flash && !gemini3, gemini3);
    }
}
