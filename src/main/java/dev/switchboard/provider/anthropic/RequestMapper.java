package dev.switchboard.provider.anthropic;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.provider.mapping.StopSequences;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.regex.Pattern;

/**
 * Maps a validated OpenAI chat completions request to an Anthropic Messages request body
 * (docs/protocols/openai-to-anthropic.md §1–§4, §6.1). Pure; shared and stateless.
 *
 * <p>Fields with no Anthropic meaning are dropped rather than refused, so that OpenAI clients
 * that always send them keep working; the list is in docs/providers/anthropic.md.
 */
final class RequestMapper {
    /**
     * Ids that look like an e-mail address or a phone number are not sent as
     * {@code metadata.user_id}: Anthropic wants an opaque id and rejects personal data (LiteLLM's
     * rule, docs/protocols/openai-to-anthropic.md §1). An e-mail address is anything with an {@code @}, line
     * breaks or not ({@code "jane\n@example.com"}).
     */
    /**
     * A phone number is written with digits and the separators phone numbers use (space,
     * {@code ( ) . -}) and nothing else, and is marked as one in either of two ways:
     * <ul>
     * <li>at least {@link #MIN_PHONE_DIGITS} digits with a leading {@code +} or a parenthesised
     *     area code: {@code +4915112345678}, {@code +1 555 010 9999}, {@code (555) 010-9999};</li>
     * <li>or, written with separators only, at least {@link #MIN_NATIONAL_PHONE_DIGITS} digits,
     *     the length of a number with its area code: {@code 030 1234 5678},
     *     {@code 555.010.9999}.</li>
     * </ul>
     * Shorter numbers with separators are sent: they are as often dates ({@code 2024-01-15}) or
     * account and order numbers ({@code 1234-5678}) as local phone numbers. Bare digits are never
     * taken for a phone number: numeric user ids are common ({@code 12345678}), and LiteLLM's
     * looser rule dropped them all.
     */
    static final Pattern PHONE_CHARACTERS = Pattern.compile("\\+?[0-9(][0-9 ().-]*[0-9]");
    static final int MIN_PHONE_DIGITS = 7;
    static final int MIN_NATIONAL_PHONE_DIGITS = 10;
    private static final String PHONE_SEPARATORS = " ().-";

    private RequestMapper() {
    }

    /**
     * @throws dev.switchboard.error.GatewayException (400) naming the field or part that cannot be translated
     */
    static JsonObject map(JsonObject request, ModelConfig model) {
        JsonNumber n = JsonFields.number(request, "n");
        if (n != null && n.longValue() > 1) {
            throw ErrorKind.UNSUPPORTED_PARAMETER.exception("n", "Claude returns one choice per request; 'n' must be 1.");
        }
        Conversation conversation = Conversation.of(request.getJsonArray("messages"));
        Tools.Setup tools = Tools.map(request, conversation);
        ClaudeModels.Traits traits = ClaudeModels.traits(model.upstreamModel());
        Thinking.Plan thinking = Thinking.plan(request, traits);
        if (thinking != null && (tools.forced() || conversation.lastAssistantTurnUsesTools())) {
            // Anthropic rejects thinking with a forced tool (§3.2). And with thinking on, an
            // assistant turn that called tools must start with its signed thinking block, which
            // OpenAI clients never get and cannot send back; LiteLLM drops thinking for such
            // requests too. Only the current tool loop is affected: once the last assistant turn
            // is plain text again, the next request thinks.
            thinking = null;
        }

        JsonObjectBuilder body = Json.PROVIDER.createObjectBuilder()
                .add("model", model.upstreamModel())
                .add("max_tokens", MaxTokens.resolve(request, model, thinking == null ? 0 : thinking.budget()));
        JsonArray system = conversation.system();
        if (!system.isEmpty()) {
            body.add("system", system);
        }
        body.add("messages", conversation.messages());
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
        Sampling.apply(request, thinking != null, traits, body);
        JsonArray stop = stopSequences(request.get("stop"));
        if (!stop.isEmpty()) {
            body.add("stop_sequences", stop);
        }
        String userId = userId(request);
        if (userId != null) {
            body.add("metadata", Json.PROVIDER.createObjectBuilder().add("user_id", userId));
        }
        if (request.get("stream") == JsonValue.TRUE) {
            body.add("stream", true);
        }
        return body.build();
    }

    /** Whitespace-only entries are dropped because Anthropic rejects them. */
    private static JsonArray stopSequences(JsonValue stop) {
        return StopSequences.kept(stop, sequence -> !ContentParts.isBlank(sequence));
    }

    /** {@code safety_identifier}, OpenAI's replacement for the deprecated {@code user}, else {@code user}. */
    private static String userId(JsonObject request) {
        String id = JsonFields.string(request, "safety_identifier");
        if (ContentParts.isBlank(id)) {
            id = JsonFields.string(request, "user");
        }
        if (ContentParts.isBlank(id) || looksPersonal(id.trim())) {
            return null;
        }
        return id;
    }

    static boolean looksPersonal(String id) {
        if (id.indexOf('@') >= 0) {
            return true;
        }
        if (!PHONE_CHARACTERS.matcher(id).matches()) {
            return false;
        }
        long digits = id.chars().filter(Character::isDigit).count();
        boolean marked = id.startsWith("+") || id.indexOf('(') >= 0;
        boolean separated = id.chars().anyMatch(c -> PHONE_SEPARATORS.indexOf(c) >= 0);
        return marked ? digits >= MIN_PHONE_DIGITS : separated && digits >= MIN_NATIONAL_PHONE_DIGITS;
    }
}
