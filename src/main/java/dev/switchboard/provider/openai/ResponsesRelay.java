package dev.switchboard.provider.openai;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonObject;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The "translator" of a Responses stream relayed to an OpenAI provider that speaks Responses:
 * every event goes to the client byte for byte, name and data (docs/protocols/openai-responses.md
 * §4.1). It reads only what the gateway must act on: a terminal event ({@code response.completed},
 * {@code response.incomplete}, {@code response.failed}), which ends the stream and carries the
 * usage, and an {@code error} event, which ends it with the mapped error. Deltas are passed on
 * unparsed. Per stream.
 */
final class ResponsesRelay implements StreamTranslator {
    /** The events after which nothing follows (§4.1). */
    static final Set<String> TERMINAL = Set.of("response.completed", "response.incomplete", "response.failed");

    private boolean complete;
    private Usage usage;

    @Override
    public void onEvent(SseEvent event, Consumer<SseEvent> out) {
        if (complete || event.isDone()) {
            return;
        }
        String type = event.type();
        JsonObject data = null;
        if (type == null) {
            // OpenAI names every event; the name is also the data's type (§4.1).
            data = Json.parseObject(event.data());
            type = JsonFields.string(data, "type");
            event = new SseEvent(type, event.data());
        }
        if ("error".equals(type)) {
            JsonObject error = data != null ? data : Json.parseObject(event.data());
            String message = JsonFields.string(error, "message");
            throw new GatewayException(ErrorKind.UPSTREAM_BAD_RESPONSE.relayed(502, null, JsonFields.string(error, "code"),
                    JsonFields.string(error, "param"), message == null ? "The provider reported an error." : message));
        }
        if (type != null && TERMINAL.contains(type)) {
            JsonObject response = JsonFields.object(data != null ? data : Json.parseObject(event.data()), "response");
            usage = usage(JsonFields.object(response, "usage"));
            complete = true;
        }
        out.accept(event);
    }

    /**
     * Responses' {@code usage} (§3): {@code input_tokens} includes cached ones and
     * {@code output_tokens} reasoning ones, as the internal model counts them.
     */
    static Usage usage(JsonObject usage) {
        if (usage == null) {
            return null;
        }
        long cached = JsonFields.longValue(JsonFields.object(usage, "input_tokens_details"), "cached_tokens", 0);
        long reasoning = JsonFields.longValue(JsonFields.object(usage, "output_tokens_details"), "reasoning_tokens", 0);
        return new Usage(JsonFields.longValue(usage, "input_tokens", 0), JsonFields.longValue(usage, "output_tokens", 0),
                cached, reasoning);
    }

    /** The usage of a whole Responses body, or null. */
    static Usage completionUsage(byte[] body) {
        try {
            return usage(JsonFields.object(Json.parseObject(body), "usage"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public boolean isFinished() {
        return complete;
    }

    @Override
    public Usage finish(Consumer<SseEvent> out) {
        return usage;
    }
}
