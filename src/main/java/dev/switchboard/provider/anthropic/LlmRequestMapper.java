package dev.switchboard.provider.anthropic;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.ReasoningEffort;
import dev.switchboard.provider.mapping.TokenLimits;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Maps a request in the internal model straight to an Anthropic Messages body
 * (docs/protocols/anthropic-messages.md §2–§4; docs/architecture.md, "The internal model and the
 * front doors"), for every door but Messages (which is relayed), keeping what Chat cannot say: thinking blocks with their signatures and
 * redacted thinking from earlier turns ({@link LlmBlocks}), {@code cache_control} on system text,
 * blocks and tools, a client's thinking budget. Pure; shared and stateless.
 */
final class LlmRequestMapper {
    private LlmRequestMapper() {
    }

    /** @throws dev.switchboard.error.GatewayException (400) naming what Claude cannot take */
    static JsonObject map(LlmRequest request, ModelConfig model) {
        if (request.sampling().choices() > 1) {
            throw ErrorKind.UNSUPPORTED_PARAMETER.exception("n", "Claude returns one choice per request; 'n' must be 1.");
        }
        LlmTurns turns = LlmTurns.of(request.messages());
        LlmTools.Setup tools = LlmTools.map(request, turns);
        ClaudeModels.Traits traits = ClaudeModels.traits(model.upstreamModel());
        Thinking.Plan thinking = Thinking.plan(ReasoningEffort.parse(request.effort(), "reasoning.effort"),
                request.thinkingBudget(), traits);
        if (thinking != null && (tools.forced() || !turns.thinkingAllowed())) {
            // Anthropic rejects thinking with a forced tool, and a tool loop whose last assistant
            // turn lacks its signed thinking block (docs/protocols/openai-to-anthropic.md §3.2, §6.1).
            thinking = null;
        }
        Long requested = request.maxOutputTokens() != null ? request.maxOutputTokens()
                : model.maxOutputTokens() != null ? Long.valueOf(model.maxOutputTokens()) : null;
        long maxTokens = TokenLimits.aboveBudget(requested != null ? requested : MaxTokens.DEFAULT_MAX_TOKENS,
                thinking == null ? 0 : thinking.budget());

        JsonObjectBuilder body = Json.PROVIDER.createObjectBuilder().add("model", model.upstreamModel())
                .add("max_tokens", maxTokens);
        JsonArrayBuilder system = Json.PROVIDER.createArrayBuilder();
        boolean hasSystem = false;
        for (Content.Text text : request.system()) {
            if (!ContentParts.isBlank(text.text())) {
                system.add(ContentParts.text(text.text(), text.cacheControl()));
                hasSystem = true;
            }
        }
        if (hasSystem) {
            body.add("system", system);
        }
        body.add("messages", turns.messages());
        if (tools.tools() != null) {
            body.add("tools", tools.tools());
        }
        if (tools.choice() != null) {
            body.add("tool_choice", tools.choice());
        }
        if (thinking != null) {
            body.add("thinking", thinking.thinking());
            if (thinking.outputConfig() != null) {
                body.add("output_config", thinking.outputConfig());
            }
        }
        if (thinking == null && traits.sampling()) {
            // Sampling's rules: temperature clamped to Claude's 0–1 and winning over top_p.
            if (request.temperature() != null) {
                body.add("temperature", request.temperature().max(ClaudeSampling.MIN_TEMPERATURE).min(ClaudeSampling.MAX_TEMPERATURE));
            } else if (request.topP() != null) {
                body.add("top_p", request.topP());
            }
            if (request.sampling().topK() != null) {
                body.add("top_k", request.sampling().topK());
            }
        }
        JsonArrayBuilder stop = Json.PROVIDER.createArrayBuilder();
        boolean hasStop = false;
        for (String sequence : request.stop()) {
            if (!ContentParts.isBlank(sequence)) {
                stop.add(sequence);
                hasStop = true;
            }
        }
        if (hasStop) {
            body.add("stop_sequences", stop);
        }
        String user = request.user();
        if (!ContentParts.isBlank(user) && !UserIds.looksPersonal(user.trim())) {
            body.add("metadata", Json.PROVIDER.createObjectBuilder().add("user_id", user));
        }
        if (request.stream()) {
            body.add("stream", true);
        }
        return body.build();
    }
}
