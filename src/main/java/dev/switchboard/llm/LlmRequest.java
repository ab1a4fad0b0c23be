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
 */
public record LlmRequest(String model, boolean stream, List<Content.Text> system, List<Message> messages,
                         List<Tool> tools, ToolChoice toolChoice, ResponseFormat responseFormat, String effort,
                         Integer thinkingBudget, Long maxOutputTokens, BigDecimal temperature, BigDecimal topP,
                         List<String> stop, String user) {
    public LlmRequest {
        system = List.copyOf(system);
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        stop = List.copyOf(stop);
    }
}
