package dev.switchboard.llm;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.json.JsonFields;
import jakarta.json.JsonObject;
import java.util.Locale;

/**
 * OpenAI's {@code reasoning_effort} values (docs/protocols/openai-chat.md §2.1), which every connector accepts
 * whether or not its provider can honour each one; what a level means is the connector's
 * business. Shared and stateless.
 */
public enum ReasoningEffort {
    NONE, MINIMAL, LOW, MEDIUM, HIGH, XHIGH, MAX;

    private static final String ACCEPTED = "none, minimal, low, medium, high, xhigh or max";

    /** The value as OpenAI spells it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The request's {@code reasoning_effort}, or null when it has none.
     *
     * @throws dev.switchboard.error.GatewayException (400) naming the field and every accepted
     *     value when it is not one of them
     */
    public static ReasoningEffort of(JsonObject request) {
        return parse(JsonFields.string(request, "reasoning_effort"), "reasoning_effort");
    }

    /**
     * An effort level in OpenAI's words (the internal model's {@code effort}), or null for null.
     *
     * @param param the client's field, for the 400
     */
    public static ReasoningEffort parse(String effort, String param) {
        if (effort == null) {
            return null;
        }
        for (ReasoningEffort value : values()) {
            if (value.wireName().equals(effort)) {
                return value;
            }
        }
        throw ErrorKind.INVALID_REQUEST.exception(param, "'" + param + "' must be " + ACCEPTED + ", not '" + effort + "'.");
    }
}
