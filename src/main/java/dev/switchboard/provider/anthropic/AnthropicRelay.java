package dev.switchboard.provider.anthropic;

import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonObject;
import java.util.function.Consumer;

/**
 * The "translator" of a Messages stream relayed to an Anthropic provider: every event goes to the
 * client byte for byte, name and data (docs/protocols/anthropic-messages-ingress.md §4.3). It
 * reads only what the gateway must act on: the usage in {@code message_start} and
 * {@code message_delta}, the end at {@code message_stop}, and an {@code error} event, which ends
 * the stream with the mapped error. Content deltas, the bulk of a stream, are passed on unparsed.
 * Per stream.
 */
final class AnthropicRelay implements StreamTranslator {
    private final String providerId;
    private final UsageTally usage = new UsageTally();
    private boolean complete;

    AnthropicRelay(String providerId) {
        this.providerId = providerId;
    }

    @Override
    public void onEvent(SseEvent event, Consumer<SseEvent> out) {
        if (complete) {
            return;
        }
        String type = event.type();
        JsonObject data = null;
        if (type == null) {
            // Anthropic names every event; a proxy in between might not.
            data = Json.parseObject(event.data());
            type = JsonFields.string(data, "type");
            event = new SseEvent(type, event.data());
        }
        switch (type == null ? "" : type) {
            case "message_start" -> usage.update(JsonFields.object(JsonFields.object(parsed(event, data), "message"), "usage"));
            case "message_delta" -> usage.update(JsonFields.object(parsed(event, data), "usage"));
            case "message_stop" -> complete = true;
            case "error" -> throw new GatewayException(AnthropicErrors.fromStreamEvent(providerId, parsed(event, data)));
            default -> {
                // Content events, ping, and events added later: passed on as they came.
            }
        }
        out.accept(event);
    }

    private static JsonObject parsed(SseEvent event, JsonObject data) {
        return data != null ? data : Json.parseObject(event.data());
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    /** {@code message_stop} is Anthropic's last event (docs/protocols/anthropic-messages.md §6.1). */
    @Override
    public boolean isFinished() {
        return complete;
    }

    @Override
    public Usage finish(Consumer<SseEvent> out) {
        return usage.toUsage();
    }

    /** The usage of a whole relayed {@code message} body, or null when it has none. */
    static Usage completionUsage(byte[] body, int length) {
        try {
            return new UsageTally().update(JsonFields.object(Json.parseObject(body, 0, length), "usage")).toUsage();
        } catch (RuntimeException e) {
            // Not a body we can read: relayed as it is, its usage unknown.
            return null;
        }
    }
}
