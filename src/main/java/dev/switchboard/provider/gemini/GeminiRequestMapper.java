package dev.switchboard.provider.gemini;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.json.Json;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Protocol;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Builds the body of a Gemini {@code generateContent} call from a request in the internal model
 * (docs/protocols/openai-to-gemini.md Part B; docs/architecture.md, "The internal model and the
 * front doors"), whichever door it came in by. Pure: the same request always gives the same body.
 * Stateless.
 *
 * <p>What Gemini has no meaning for is dropped (B1): {@code cache_control}, the end user's id,
 * metadata, reasoning of earlier turns; the list, with reasons, is in docs/providers/gemini.md.
 * The model travels in the URL, not the body.
 */
final class GeminiRequestMapper {
    private GeminiRequestMapper() {
    }

    /**
     * @param door the door the request came in by, whose field names a 400 uses where the
     *     internal model has none of its own ({@link DoorFields})
     * @param budget the request's: inlined schemas count against it as they are built
     * @throws dev.switchboard.error.GatewayException (400 naming the field) for what Gemini cannot
     *     take, or for a schema that inlines past the budget
     */
    static JsonObject map(LlmRequest request, Protocol door, ModelConfig model, TranslationBudget budget) {
        DoorFields fields = DoorFields.of(door);
        MessageMapper.Conversation conversation = MessageMapper.map(request,
                GeminiModels.traits(model.upstreamModel()).requiresCallSignatures(), fields.callId());
        JsonObjectBuilder body = Json.PROVIDER.createObjectBuilder().add("contents", conversation.contents());
        if (conversation.systemInstruction() != null) {
            body.add("systemInstruction", conversation.systemInstruction());
        }
        ToolMapper.Tools tools = ToolMapper.map(request, fields.toolSchema(), budget);
        if (tools != null) {
            body.add("tools", tools.tools());
            if (tools.toolConfig() != null) {
                body.add("toolConfig", tools.toolConfig());
            }
        }
        JsonObject generationConfig = GenerationConfigMapper.map(request, model, fields, budget);
        if (!generationConfig.isEmpty()) {
            body.add("generationConfig", generationConfig);
        }
        return body.build();
    }
}
