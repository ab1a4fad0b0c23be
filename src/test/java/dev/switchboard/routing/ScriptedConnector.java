package dev.switchboard.routing;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.ProviderConnector;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.provider.http.RetryAfter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Stands in for providers in routing tests: each call to a model gets that model's next scripted
 * outcome, delivered at once, and every call is recorded.
 */
final class ScriptedConnector implements ProviderConnector {
    /** One scripted outcome. */
    interface Outcome {
        void deliver(ResponseSink sink);
    }

    static Outcome completes(String text) {
        return sink -> sink.completion(("{\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8),
                new Usage(1, 1));
    }

    /** Fails as a connector does: the wait the error's Retry-After names travels with it. */
    static Outcome fails(GatewayError error) {
        return sink -> sink.fail(Failure.of(error, RetryAfter.millis(error.retryAfter(), System.currentTimeMillis())));
    }

    static Outcome fails(GatewayError error, long retryAfterMillis) {
        return sink -> sink.fail(Failure.of(error, retryAfterMillis));
    }

    /** A stream that starts and sends one chunk, then fails: the failure comes after the commit. */
    static Outcome breaksAfterFirstChunk(GatewayError error) {
        return sink -> {
            sink.streamStart();
            sink.chunk(dev.switchboard.sse.SseEvent.of("{\"chunk\":1}".getBytes(StandardCharsets.UTF_8)));
            sink.fail(Failure.of(error));
        };
    }

    /** Never answers; the test decides what happens next. */
    static Outcome hangs() {
        return sink -> { };
    }

    private final java.util.Map<String, Deque<Outcome>> scripts = new java.util.HashMap<>();
    final List<String> calls = new ArrayList<>();
    final List<Boolean> cancelled = new ArrayList<>();

    ScriptedConnector script(String model, Outcome... outcomes) {
        scripts.computeIfAbsent(model, key -> new ArrayDeque<>()).addAll(List.of(outcomes));
        return this;
    }

    @Override
    public synchronized Attempt start(ProviderCall call, ResponseSink sink) {
        ModelConfig model = call.model();
        calls.add(model.id());
        int index = cancelled.size();
        cancelled.add(false);
        Deque<Outcome> script = scripts.get(model.id());
        Outcome outcome = script == null || script.isEmpty() ? completes(model.id()) : script.poll();
        outcome.deliver(sink);
        return () -> {
            synchronized (this) {
                cancelled.set(index, true);
            }
        };
    }
}
