package dev.switchboard.tracing;

import dev.switchboard.llm.Protocol;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The client span of one attempt on a provider (GenAI semantic conventions, inference and
 * embeddings spans). Per attempt; {@link #NONE} when tracing is off. It ends once, at the first
 * of {@link #succeeded}, {@link #failed} and {@link #cancelled}; later calls do nothing.
 */
public final class AttemptTrace {
    /** Tracing is off: every call does nothing. */
    public static final AttemptTrace NONE = new AttemptTrace(null, null, null, null, null);

    private final Span span;
    private final Context context;
    private final TextMapPropagator propagator;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** What the reply says about itself; null when there is no span. */
    private final ResponseFacts facts;
    /** The request's content when content capture is on, else null. */
    private final RequestContent content;
    /** The reply's content, once known (capture on only); read by a failure on another thread. */
    private volatile String outputMessages;
    /** A stream's text so far, bounded (capture on only). */
    private StringBuilder streamedText;

    AttemptTrace(Span span, Context parent, TextMapPropagator propagator, Protocol protocol, RequestContent content) {
        this.span = span;
        this.context = span == null ? null : parent.with(span);
        this.propagator = propagator;
        this.facts = span == null ? null : new ResponseFacts(protocol);
        this.content = content;
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

    /**
     * Makes the attempt's span current on this thread while the upstream request is handed to the
     * HTTP client, so that whatever instruments that client nests under the attempt: the
     * OpenTelemetry Java agent's HTTP client span, and the {@code traceparent} it then sends
     * instead of {@link #inject}'s (docs/operations.md#tracing). Close the scope on the same thread.
     */
    public Scope makeCurrent() {
        return span == null ? Scope.noop() : context.makeCurrent();
    }

    /** The first chunk carrying a token reached the client ({@link System#nanoTime()}). */
    void firstChunk(long atNanos) {
        if (span != null && !ended.get()) {
            span.setAttribute(GenAi.TIME_TO_FIRST_CHUNK, Math.max(0, atNanos - startNanos) / 1e9);
        }
    }

    /**
     * The whole reply, in the client's door format: its id, model and finish reasons (and, with
     * content capture on, its messages) go on the span when it ends.
     */
    public void completion(byte[] json) {
        if (span == null || ended.get()) {
            return;
        }
        JsonObject reply = ResponseFacts.parse(json);
        if (reply == null) {
            return;
        }
        facts.completion(reply);
        if (content != null) {
            outputMessages = MessageContent.outputMessages(content.protocol(), reply);
        }
    }

    /** One stream event, in the client's door format, as {@link #completion} for a whole reply. */
    public void chunk(SseEvent event) {
        if (span == null || ended.get()) {
            return;
        }
        if (content == null) {
            facts.chunk(event, null);
            return;
        }
        // Capturing content reads every event anyway: parse once for both.
        JsonObject json = event.isDone() ? null : ResponseFacts.parse(event.data());
        if (json == null) {
            return;
        }
        facts.chunk(event, json);
        String text = MessageContent.streamedText(content.protocol(), event.type(), json);
        if (text != null) {
            if (streamedText == null) {
                streamedText = new StringBuilder();
            }
            int room = MessageContent.LIMIT_CHARS - streamedText.length();
            streamedText.append(text, 0, Math.min(room, text.length()));
        }
    }

    /** The provider answered; {@code usage} as it reported it, or null when it did not say. */
    public void succeeded(Usage usage) {
        if (span == null || !ended.compareAndSet(false, true)) {
            return;
        }
        if (facts.id != null) {
            span.setAttribute(GenAi.RESPONSE_ID, facts.id);
        }
        if (facts.model != null) {
            span.setAttribute(GenAi.RESPONSE_MODEL, facts.model);
        }
        if (!facts.finishReasons.isEmpty()) {
            span.setAttribute(GenAi.FINISH_REASONS, facts.finishReasons);
        }
        if (content != null && outputMessages == null && streamedText != null) {
            outputMessages = MessageContent.streamedOutput(streamedText.toString(), facts.finishReasons);
        }
        recordContent();
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
        recordContent();
        span.end();
    }

    /**
     * The content event of the GenAI conventions, with content capture on: the request's messages,
     * and the reply's when there was one (docs/operations.md#tracing).
     */
    private void recordContent() {
        if (content == null) {
            return;
        }
        AttributesBuilder attributes = Attributes.builder();
        if (content.systemInstructions() != null) {
            attributes.put(GenAi.SYSTEM_INSTRUCTIONS, content.systemInstructions());
        }
        if (content.inputMessages() != null) {
            attributes.put(GenAi.INPUT_MESSAGES, content.inputMessages());
        }
        if (outputMessages != null) {
            attributes.put(GenAi.OUTPUT_MESSAGES, outputMessages);
        }
        span.addEvent(GenAi.CONTENT_EVENT, attributes.build());
    }

    /** The client left, or the gateway stopped the request, before the attempt ended. */
    public void cancelled() {
        failed(GenAi.CANCELLED);
    }
}
