package dev.switchboard.tracing;

import dev.switchboard.llm.Usage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The client span of one attempt on a provider (GenAI semantic conventions, inference and
 * embeddings spans). Per attempt; {@link #NONE} when tracing is off. It ends once, at the first
 * of {@link #succeeded}, {@link #failed} and {@link #cancelled}; later calls do nothing.
 */
public final class AttemptTrace {
    /** Tracing is off: every call does nothing. */
    public static final AttemptTrace NONE = new AttemptTrace(null, null, null);

    private final Span span;
    private final Context context;
    private final TextMapPropagator propagator;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();

    AttemptTrace(Span span, Context parent, TextMapPropagator propagator) {
        this.span = span;
        this.context = span == null ? null : parent.with(span);
        this.propagator = propagator;
    }

    /** Whether there is a span, so that a caller skips work that only the span needs. */
    public boolean isOn() {
        return span != null;
    }

    /**
     * Writes this attempt's trace context as HTTP headers ({@code traceparent}, and
     * {@code tracestate} and {@code baggage} when there are any) for the upstream request, so that
     * a provider or gateway that traces continues the trace (W3C Trace Context §3).
     */
    public void inject(BiConsumer<String, String> headers) {
        if (span != null) {
            propagator.inject(context, headers, BiConsumer::accept);
        }
    }

    /** The first chunk carrying a token reached the client ({@link System#nanoTime()}). */
    void firstChunk(long atNanos) {
        if (span != null && !ended.get()) {
            span.setAttribute(GenAi.TIME_TO_FIRST_CHUNK, Math.max(0, atNanos - startNanos) / 1e9);
        }
    }

    /** The provider answered; {@code usage} as it reported it, or null when it did not say. */
    public void succeeded(Usage usage) {
        if (span == null || !ended.compareAndSet(false, true)) {
            return;
        }
        if (usage != null) {
            // Usage's prompt tokens count cached ones too, as gen_ai.usage.input_tokens does.
            span.setAttribute(GenAi.INPUT_TOKENS, usage.promptTokens());
            span.setAttribute(GenAi.OUTPUT_TOKENS, usage.completionTokens());
            if (usage.cachedTokens() > 0) {
                span.setAttribute(GenAi.CACHE_READ_TOKENS, usage.cachedTokens());
            }
            if (usage.cacheWriteTokens() > 0) {
                span.setAttribute(GenAi.CACHE_CREATION_TOKENS, usage.cacheWriteTokens());
            }
            if (usage.reasoningTokens() > 0) {
                span.setAttribute(GenAi.REASONING_TOKENS, usage.reasoningTokens());
            }
        }
        span.end();
    }

    /**
     * The attempt failed. Only the kind of failure is recorded: a provider's error message may
     * quote the request's content.
     *
     * @param errorType a low-cardinality name of the failure ({@code rate_limited}, {@code timeout} …)
     */
    public void failed(String errorType) {
        if (span == null || !ended.compareAndSet(false, true)) {
            return;
        }
        span.setAttribute(GenAi.ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR);
        span.end();
    }

    /** The client left, or the gateway stopped the request, before the attempt ended. */
    public void cancelled() {
        failed(GenAi.CANCELLED);
    }
}
