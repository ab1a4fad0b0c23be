package dev.switchboard.provider.gemini;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.json.Json;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Builds the body of a Gemini {@code generateContent} call from an OpenAI chat request
 * (docs/protocols/openai-to-gemini.md Part B). Pure: the same request always gives the same body. Stateless.
 *
 * <p>Fields Gemini has no meaning for are dropped (B1), and so is any field this class does not
 * name; the list, with reasons, is in docs/providers/gemini.md. The model travels in the URL, not
 * the body.
 */
final class GeminiRequestMapper {
    private GeminiRequestMapper() {
    }

    /**
     * @param budget the request's: inlined schemas count against it as they are built
     * @throws dev.switchboard.error.GatewayException (400 naming the field) for what Gemini cannot
     *     take, or for a schema that inlines past the budget
     */
    static JsonObject map(ChatRequest request, ModelConfig model, TranslationBudget budget) {
        JsonObject json = request.json();
        MessageMapper.Conversation conversation = MessageMapper.map(json.getJsonArray("messages"),
                GeminiModels.traits(model.upstreamModel()).requiresCallSignatures());
        JsonObjectBuilder body = Json.PROVIDER.createObjectBuilder().add("contents", conversation.contents());
        if (conversation.systemInstruction() != null) {
            body.add("systemInstruction", conversation.systemInstruction());
        }
        ToolMapper.Tools tools = ToolMapper.map(json, budget);
        if (tools != null) {
            body.add("tools", tools.tools());
            if (tools.toolConfig() != null) {
                body.add("toolConfig", tools.toolConfig());
            }
        }
        JsonObject generationConfig = GenerationConfigMapper.map(json, model, budget);
        if (!generationConfig.isEmpty()) {
            body.add("generationConfig", generationConfig);
        }
        return body.build();
    }
}
