package dev.switchboard.provider.gemini;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.ReasoningEffort;
import dev.switchboard.provider.mapping.StopSequences;
import dev.switchboard.provider.mapping.TokenLimits;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Map;

/**
 * Maps the sampling and output parameters of an OpenAI request to Gemini's
 * {@code generationConfig} (docs/protocols/openai-to-gemini.md A2.4, B1, B4, B6.1). Stateless.
 *
 * <ul>
 * <li>{@code temperature} → {@code temperature}, {@code top_p} → {@code topP}, {@code seed} →
 *     {@code seed}: same meaning and scale.</li>
 * <li>{@code max_completion_tokens}, else {@code max_tokens}, else the model's configured
 *     {@code maxOutputTokens} ({@link TokenLimits}) → {@code maxOutputTokens}. Gemini counts
 *     thinking inside it, so with a thinking budget a limit at or below the budget becomes
 *     budget + limit ({@link TokenLimits#aboveBudget}, Anthropic's rule): otherwise
 *     {@code max_tokens: 300} with effort high could be spent on thinking alone and end as an
 *     empty {@code length} reply. Without a limit Gemini's own default applies.</li>
 * <li>{@code stop} (a string or a list) → {@code stopSequences} (always a list) without empty
 *     entries, and not sent when none is left: an empty string stops nothing, and Gemini rejects
 *     an empty list. Whitespace-only entries such as {@code "\n"} are kept, unlike on Claude:
 *     Anthropic rejects them, Gemini honours them, and stopping at a line end is a common use.
 *     The count is not capped: Gemini's own 400 for more than 5 reaches the client, as the
 *     other connectors leave it to their providers (OpenAI allows 4).</li>
 * <li>{@code n} above 1 → {@code candidateCount}.</li>
 * <li>{@code presence_penalty}, {@code frequency_penalty} → {@code presencePenalty},
 *     {@code frequencyPenalty}, only when not 0: some Gemini models reject any penalty, and
 *     clients often send the default 0 explicitly.</li>
 * <li>{@code response_format}: {@code json_object} → {@code responseMimeType:
 *     application/json}; {@code json_schema} → the same plus {@code responseSchema}, cleaned by
 *     {@link SchemaCleaner} like tool parameters.</li>
 * <li>{@code reasoning_effort} → {@code thinkingConfig.thinkingBudget} from
 *     {@link #THINKING_BUDGETS} with {@code includeThoughts: true}. A budget rather than
 *     {@code thinkingLevel}, because Gemini 2.5 models take only budgets (B6.1). {@code none} →
 *     budget 0 only where the model can turn thinking off, and nothing elsewhere (the model's
 *     default thinking, without thought parts); on a model without thinking the effort is
 *     dropped ({@link GeminiModels}).</li>
 * </ul>
 */
final class GenerationConfigMapper {
    static final String JSON_MIME_TYPE = "application/json";
    /** A {@code response_format} without {@code type} asks for nothing special. */
    static final String DEFAULT_RESPONSE_FORMAT = "text";
    static final int THINKING_OFF = 0;
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
            ReasoningEffort.HIGH, 24576,
            ReasoningEffort.XHIGH, 24576,
            ReasoningEffort.MAX, 24576);

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

    /** The {@code generationConfig}; empty when the request sets nothing Gemini knows. */
    static JsonObject map(JsonObject request, ModelConfig model, TranslationBudget budget) {
        JsonObjectBuilder config = Json.PROVIDER.createObjectBuilder();
        copyNumber(request, "temperature", config, "temperature");
        copyNumber(request, "top_p", config, "topP");
        Thinking thinking = thinking(request, model);
        Long maxTokens = TokenLimits.requested(request, model);
        if (maxTokens != null) {
            config.add("maxOutputTokens", TokenLimits.aboveBudget(maxTokens, thinking.budget()));
        }
        JsonArray stop = stopSequences(JsonFields.get(request, "stop"));
        if (!stop.isEmpty()) {
            config.add("stopSequences", stop);
        }
        if (JsonFields.get(request, "n") instanceof JsonNumber n && n.longValue() > 1) {
            config.add("candidateCount", n);
        }
        copyNumber(request, "seed", config, "seed");
        copyNonZero(request, "presence_penalty", config, "presencePenalty");
        copyNonZero(request, "frequency_penalty", config, "frequencyPenalty");
        responseFormat(request, config, budget);
        if (thinking.config() != null) {
            config.add("thinkingConfig", thinking.config());
        }
        return config.build();
    }

    /** Without empty entries. */
    private static JsonArray stopSequences(JsonValue stop) {
        return StopSequences.kept(stop, sequence -> !sequence.isEmpty());
    }

    private static void responseFormat(JsonObject request, JsonObjectBuilder config, TranslationBudget budget) {
        if (!(JsonFields.get(request, "response_format") instanceof JsonObject format)) {
            return;
        }
        String type = format.get("type") instanceof JsonString s ? s.getString() : DEFAULT_RESPONSE_FORMAT;
        switch (type) {
            case "text" -> {
                // Gemini's default.
            }
            case "json_object" -> config.add("responseMimeType", JSON_MIME_TYPE);
            case "json_schema" -> {
                config.add("responseMimeType", JSON_MIME_TYPE);
                if (format.get("json_schema") instanceof JsonObject jsonSchema
                        && jsonSchema.get("schema") instanceof JsonObject schema) {
                    config.add("responseSchema", SchemaCleaner.clean(schema, "response_format.json_schema.schema", budget));
                }
            }
            default -> throw ErrorKind.INVALID_REQUEST.exception("response_format.type", "'response_format.type' '"
                    + type + "' cannot be sent to Gemini; use 'text', 'json_object' or 'json_schema'.");
        }
    }

    /** The {@code thinkingConfig} for {@code reasoning_effort} on this model. */
    private static Thinking thinking(JsonObject request, ModelConfig model) {
        ReasoningEffort effort = ReasoningEffort.of(request);
        GeminiModels.Traits traits = GeminiModels.traits(model.upstreamModel());
        if (effort == null || !traits.thinks()) {
            return Thinking.UNSET;
        }
        if (effort == ReasoningEffort.NONE) {
            JsonObject off = Json.PROVIDER.createObjectBuilder().add("thinkingBudget", THINKING_OFF).build();
            return traits.canTurnOff() ? new Thinking(off, THINKING_OFF) : Thinking.UNSET;
        }
        int budget = THINKING_BUDGETS.get(effort);
        return new Thinking(Json.PROVIDER.createObjectBuilder().add("includeThoughts", true)
                .add("thinkingBudget", budget).build(), budget);
    }

    private static void copyNumber(JsonObject request, String from, JsonObjectBuilder config, String to) {
        if (JsonFields.get(request, from) instanceof JsonNumber number) {
            config.add(to, number);
        }
    }

    private static void copyNonZero(JsonObject request, String from, JsonObjectBuilder config, String to) {
        if (JsonFields.get(request, from) instanceof JsonNumber number && number.doubleValue() != 0) {
            config.add(to, number);
        }
    }
}
