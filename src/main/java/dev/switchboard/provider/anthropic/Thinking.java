package dev.switchboard.provider.anthropic;

import dev.switchboard.json.Json;
import dev.switchboard.llm.ReasoningEffort;
import jakarta.json.JsonObject;

/**
 * Maps OpenAI's {@code reasoning_effort} to Claude's extended thinking
 * (docs/protocols/openai-to-anthropic.md §6.1). Budget-style models (Claude 3.7 to 4.5) get
 * {@code thinking:{type:"enabled",budget_tokens}} with LiteLLM's budget per level; adaptive models
 * (4.6 and later, see {@link ClaudeModels}) get {@code thinking:{type:"adaptive"}} and
 * {@code output_config.effort}. Models before 3.7 cannot think, so the effort is dropped for them.
 * Shared and stateless.
 */
final class Thinking {
    /** Anthropic's smallest allowed budget; "minimal" (LiteLLM: 128) is raised to it. */
    static final int MINIMAL_BUDGET = 1024;
    static final int LOW_BUDGET = 1024;
    static final int MEDIUM_BUDGET = 2048;
    static final int HIGH_BUDGET = 4096;
    static final int XHIGH_BUDGET = 8192;
    static final int MAX_BUDGET = 16384;
    /**
     * Adaptive models hide their thinking by default from Opus 4.7 on ({@code display:"omitted"});
     * asking for the summary keeps {@code reasoning_content} flowing to the client.
     */
    static final String ADAPTIVE_DISPLAY = "summarized";

    /**
     * Thinking for one request.
     *
     * @param thinking Anthropic's {@code thinking} object
     * @param outputConfig Anthropic's {@code output_config} (the effort), or null
     * @param budget the level's token budget: sent as {@code budget_tokens} on budget-style models,
     *     used on adaptive ones only to size {@code max_tokens}
     */
    record Plan(JsonObject thinking, JsonObject outputConfig, int budget) {
    }

    private Thinking() {
    }

    /**
     * The plan for an effort level and, where the client named one, a budget in tokens (kept
     * as it is on budget-style models), or null when the request gets no thinking.
     */
    static Plan plan(ReasoningEffort effort, Integer budgetTokens, ClaudeModels.Traits traits) {
        if (effort == null || effort == ReasoningEffort.NONE) {
            return null;
        }
        int budget = budgetTokens != null && budgetTokens >= MINIMAL_BUDGET ? budgetTokens : budget(effort);
        return switch (traits.thinking()) {
            case NONE -> null;
            case BUDGET -> new Plan(Json.PROVIDER.createObjectBuilder().add("type", "enabled")
                    .add("budget_tokens", budget).build(), null, budget);
            case ADAPTIVE -> new Plan(Json.PROVIDER.createObjectBuilder().add("type", "adaptive")
                    .add("display", ADAPTIVE_DISPLAY).build(),
                    Json.PROVIDER.createObjectBuilder().add("effort", adaptiveEffort(effort, traits)).build(), budget);
        };
    }

    /** LiteLLM's budget per level (docs/protocols/openai-to-anthropic.md §6.1); {@code none} thinks not at all. */
    private static int budget(ReasoningEffort effort) {
        return switch (effort) {
            case NONE -> 0;
            case MINIMAL -> MINIMAL_BUDGET;
            case LOW -> LOW_BUDGET;
            case MEDIUM -> MEDIUM_BUDGET;
            case HIGH -> HIGH_BUDGET;
            case XHIGH -> XHIGH_BUDGET;
            case MAX -> MAX_BUDGET;
        };
    }

    /** Anthropic's effort levels are low, medium, high, xhigh (4.7 and later) and max. */
    private static String adaptiveEffort(ReasoningEffort effort, ClaudeModels.Traits traits) {
        return switch (effort) {
            case MINIMAL -> ReasoningEffort.LOW.wireName();
            case XHIGH -> traits.xhighEffort() ? effort.wireName() : ReasoningEffort.HIGH.wireName();
            default -> effort.wireName();
        };
    }
}
