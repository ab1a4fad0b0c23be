package dev.switchboard.provider.gemini;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.json.Json;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.ReasoningEffort;
import dev.switchboard.llm.ResponseFormat;
import dev.switchboard.provider.mapping.TokenLimits;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Maps the sampling and output parameters of a request in the internal model to Gemini's
 * {@code generationConfig} (docs/protocols/openai-to-gemini.md A2.4, B1, B4, B6.1). Stateless.
 *
 * <ul>
 * <li>{@code temperature} → {@code temperature}, top_p → {@code topP}, top_k (Messages') →
 *     {@code topK}, Chat's {@code seed} → {@code seed}: same meaning and scale.</li>
 * <li>The output limit (Chat's {@code max_completion_tokens}, else {@code max_tokens}; Messages'
 *     {@code max_tokens}; Responses' {@code max_output_tokens}), else the model's configured
 *     {@code maxOutputTokens} → {@code maxOutputTokens}. Gemini counts thinking inside it, so
 *     with a thinking budget a limit at or below the budget becomes budget + limit
 *     ({@link TokenLimits#aboveBudget}, Anthropic's rule): otherwise {@code max_tokens: 300} with
 *     effort high could be spent on thinking alone and end as an empty {@code length} reply.
 *     Without a limit Gemini's own default applies.</li>
 * <li>Stop sequences → {@code stopSequences} without empty entries, and not sent when none is
 *     left: an empty string stops nothing, and Gemini rejects an empty list. Whitespace-only
 *     entries such as {@code "\n"} are kept, unlike on Claude: Anthropic rejects them, Gemini
 *     honours them, and stopping at a line end is a common use. The count is not capped:
 *     Gemini's own 400 for more than 5 reaches the client, as the other connectors leave it to
 *     their providers (OpenAI allows 4).</li>
 * <li>Chat's {@code n} above 1 → {@code candidateCount}.</li>
 * <li>Chat's {@code presence_penalty}, {@code frequency_penalty} → {@code presencePenalty},
 *     {@code frequencyPenalty}, only when not 0: some Gemini models reject any penalty, and
 *     clients often send the default 0 explicitly.</li>
 * <li>JSON mode → {@code responseMimeType: application/json}; a JSON Schema → the same plus
 *     {@code responseSchema}, cleaned by {@link SchemaCleaner} like tool parameters.</li>
 * <li>A thinking budget in tokens (Messages' {@code budget_tokens}) → that
 *     {@code thinkingConfig.thinkingBudget}, at most {@link #MAX_THINKING_BUDGET}; else the
 *     effort level → a budget from {@link #THINKING_BUDGETS}; either with
 *     {@code includeThoughts: true}. A budget rather than {@code thinkingLevel}, because Gemini
 *     2.5 models take only budgets (B6.1). Effort {@code none} → budget 0 only where the model can
 *     turn thinking off, and nothing elsewhere (the model's default thinking, without thought
 *     parts); on a model without thinking both are dropped ({@link GeminiModels}).</li>
 * </ul>
 */
final class GenerationConfigMapper {
    static final String JSON_MIME_TYPE = "application/json";
    static final int THINKING_OFF = 0;
    /** The largest thinking budget every thinking Gemini model takes (2.5 Flash's 24576). */
    static final int MAX_THINKING_BUDGET = 24576;
    /**
     * Thinking budgets per {@code reasoning_effort}: low/medium/high as Portkey documents for
     * Gemini 2.5 (also the values of Google's own OpenAI-compatible endpoint); minimal is the
     * smallest budget every 2.5 model accepts; the newest efforts above high get the largest budget
     * those models take. LiteLLM's smaller 1024/2048/4096 are a gateway's guess, not Google's.
     */
    static final Map<ReasoningEffort, Integer> THINKING_BUDGETS = Map.of(
            ReasoningEffort.MINIMAL, 512,
            ReasoningEffort.LOW, 1024,
            ReasoningEffort.MEDIUM, 8192,
            ReasoningEffort.HIGH, MAX_THINKING_BUDGET,
            ReasoningEffort.XHIGH, MAX_THINKING_BUDGET,
            ReasoningEffort.MAX, MAX_THINKING_BUDGET);

    /**
     * What {@code reasoning_effort} asks of this model.
     *
     * @param config the {@code thinkingConfig} to send, or null for none
     * @param budget the thinking budget the output limit must make room for; 0 without one
     */
    private record Thinking(JsonObject config, int budget) {
        static final Thinking UNSET = new Thinking(null, THINKING_OFF);
    }

    private GenerationConfigMapper() {
    }

    /**
     * The {@code generationConfig}; empty when the request sets nothing Gemini knows.
     *
     * @param fields the door's names of the response schema and the effort, for a 400 about them
     */
    static JsonObject map(LlmRequest request, ModelConfig model, DoorFields fields, TranslationBudget budget) {
        JsonObjectBuilder config = Json.PROVIDER.createObjectBuilder();
        if (request.temperature() != null) {
            config.add("temperature", request.temperature());
        }
        if (request.topP() != null) {
            config.add("topP", request.topP());
        }
        LlmRequest.Sampling sampling = request.sampling();
        if (sampling.topK() != null) {
            config.add("topK", sampling.topK());
        }
        Thinking thinking = thinking(request, model, fields.effort());
        Long maxTokens = TokenLimits.requested(request, model);
        if (maxTokens != null) {
            config.add("maxOutputTokens", TokenLimits.aboveBudget(maxTokens, thinking.budget()));
        }
        JsonArrayBuilder stop = Json.PROVIDER.createArrayBuilder();
        boolean anyStop = false;
        for (String sequence : request.stop()) {
            if (!sequence.isEmpty()) {
                stop.add(sequence);
                anyStop = true;
            }
        }
        if (anyStop) {
            config.add("stopSequences", stop);
        }
        if (sampling.choices() > 1) {
            config.add("candidateCount", sampling.choices());
        }
        if (sampling.seed() != null) {
            config.add("seed", sampling.seed());
        }
        addNonZero(config, "presencePenalty", sampling.presencePenalty());
        addNonZero(config, "frequencyPenalty", sampling.frequencyPenalty());
        responseFormat(request.responseFormat(), config, fields.responseSchema(), budget);
        if (thinking.config() != null) {
            config.add("thinkingConfig", thinking.config());
        }
        return config.build();
    }

    private static void responseFormat(ResponseFormat format, JsonObjectBuilder config, String schemaParam,
                                       TranslationBudget budget) {
        switch (format.kind()) {
            case TEXT -> {
                // Gemini's default.
            }
            case JSON -> config.add("responseMimeType", JSON_MIME_TYPE);
            case JSON_SCHEMA -> {
                config.add("responseMimeType", JSON_MIME_TYPE);
                if (format.schema() != null) {
                    config.add("responseSchema", SchemaCleaner.clean(format.schema(), schemaParam, budget));
                }
            }
        }
    }

    /** The {@code thinkingConfig} for the request's budget or effort on this model. */
    private static Thinking thinking(LlmRequest request, ModelConfig model, String effortParam) {
        ReasoningEffort effort = ReasoningEffort.parse(request.effort(), effortParam);
        GeminiModels.Traits traits = GeminiModels.traits(model.upstreamModel());
        if (!traits.thinks() || effort == null && request.thinkingBudget() == null) {
            return Thinking.UNSET;
        }
        if (request.thinkingBudget() == null && effort == ReasoningEffort.NONE) {
            JsonObject off = Json.PROVIDER.createObjectBuilder().add("thinkingBudget", THINKING_OFF).build();
            return traits.canTurnOff() ? new Thinking(off, THINKING_OFF) : Thinking.UNSET;
        }
        int budget = request.thinkingBudget() != null ? Math.min(request.thinkingBudget(), MAX_THINKING_BUDGET)
                : THINKING_BUDGETS.get(effort);
        return new Thinking(Json.PROVIDER.createObjectBuilder().add("includeThoughts", true)
                .add("thinkingBudget", budget).build(), budget);
    }

    private static void addNonZero(JsonObjectBuilder config, String name, BigDecimal value) {
        if (value != null && value.signum() != 0) {
            config.add(name, value);
        }
    }
}
