package dev.switchboard.llm;

import java.math.BigDecimal;
import java.util.List;

/**
 * A request in the internal model, richer than any one wire format (docs/architecture.md, "The
 * internal model and the front doors"): a door builds it from its own request when a translation
 * needs it, and a connector maps it to its provider's. Immutable.
 *
 * @param system system text blocks, in order (each may carry {@code cacheControl})
 * @param effort the reasoning effort asked for, in OpenAI's words ({@code low} … {@code max},
 *     {@code none}), or null
 * @param thinkingBudget a reasoning budget in tokens (Anthropic's {@code budget_tokens}), or null
 * @param maxOutputTokens the output limit, or null
 * @param user an opaque id of the end user, or null
 * @param sampling what only some wire formats can ask for ({@code top_k}, a seed, penalties, several
 *     choices); {@link Sampling#NONE} when the door has none of it
 */
public record LlmRequest(String model, boolean stream, List<Content.Text> system, List<Message> messages,
                         List<Tool> tools, ToolChoice toolChoice, ResponseFormat responseFormat, String effort,
                         Integer thinkingBudget, Long maxOutputTokens, BigDecimal temperature, BigDecimal topP,
                         List<String> stop, String user, Sampling sampling) {
    public LlmRequest {
        system = List.copyOf(system);
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        stop = List.copyOf(stop);
        sampling = sampling == null ? Sampling.NONE : sampling;
    }

    /** A request that asks for nothing of {@link Sampling}. */
    public LlmRequest(String model, boolean stream, List<Content.Text> system, List<Message> messages,
                      List<Tool> tools, ToolChoice toolChoice, ResponseFormat responseFormat, String effort,
                      Integer thinkingBudget, Long maxOutputTokens, BigDecimal temperature, BigDecimal topP,
                      List<String> stop, String user) {
        this(model, stream, system, messages, tools, toolChoice, responseFormat, effort, thinkingBudget,
                maxOutputTokens, temperature, topP, stop, user, Sampling.NONE);
    }

    /**
     * The sampling parameters that only some wire formats have: Anthropic's and Gemini's
     * {@code top_k}, Chat's {@code seed}, {@code presence_penalty}, {@code frequency_penalty} and
     * {@code n} (Gemini's {@code candidateCount}). A connector whose provider has no counterpart
     * drops the first four, as it drops them from Chat, and refuses more than one choice. Immutable.
     *
     * @param topK null when not asked for
     * @param seed null when not asked for
     * @param presencePenalty null when not asked for
     * @param frequencyPenalty null when not asked for
     * @param choices how many alternative replies, 1 by default
     */
    public record Sampling(Integer topK, Long seed, BigDecimal presencePenalty, BigDecimal frequencyPenalty,
                           int choices) {
        /** One choice, nothing else asked for. */
        public static final Sampling NONE = new Sampling(null, null, null, null, 1);
    }
}
