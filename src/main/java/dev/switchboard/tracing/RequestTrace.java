package dev.switchboard.tracing;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.llm.ClientRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server span of one client request, and the maker of its attempts' client spans. Per
 * request; {@link #NONE} when tracing is off. Called from whichever thread learns something; the
 * span ends once, at {@link #end}.
 */
public final class RequestTrace {
    /** Tracing is off: every call does nothing. */
    public static final RequestTrace NONE = new RequestTrace(null, null, null, null, false);

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final Span span;
    private final Context context;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** The operation name, once the body is parsed: what the attempts' spans are named after. */
    private volatile String operation = "chat";
    /** The attempt in flight, which a first token belongs to. */
    private volatile AttemptTrace current = AttemptTrace.NONE;
    /** Whether the attempts' spans carry the request's and reply's content (docs/operations.md#tracing). */
    private final boolean captureContent;
    /** The request's content, made at the first attempt when captureContent. */
    private volatile RequestContent content;

    RequestTrace(Tracer tracer, TextMapPropagator propagator, Span span, Context context, boolean captureContent) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.span = span;
        this.context = context;
        this.captureContent = captureContent;
    }

    /** The trace's id (32 hex digits), for the access log; null when there is no trace. */
    public String traceId() {
        if (span == null) {
            return null;
        }
        SpanContext spanContext = span.getSpanContext();
        return spanContext.isValid() ? spanContext.getTraceId() : null;
    }

    /**
     * Makes the span current on this thread, so that what is recorded meanwhile can refer to it
     * (the metrics' exemplars). Close the scope on the same thread.
     */
    public Scope makeCurrent() {
        return span == null ? Scope.noop() : context.makeCurrent();
    }

    /**
     * The body was parsed: the span is named as the GenAI conventions name an operation
     * ({@code chat {model}}, {@code embeddings {model}}), the model being the one the client asked for.
     */
    public void parsed(ClientRequest clientRequest) {
        if (span == null) {
            return;
        }
        String name = GenAi.operation(clientRequest.protocol());
        operation = name;
        span.updateName(name + " " + clientRequest.model());
        span.setAttribute(GenAi.OPERATION_NAME, name);
        span.setAttribute(GenAi.REQUEST_MODEL, clientRequest.model());
        span.setAttribute(GenAi.REQUEST_STREAM, clientRequest.stream());
    }

    /**
     * Starts the client span of one attempt on a provider, a child of this request's span: a retry
     * or a fallback is a sibling of the attempt before it. Its sampling-relevant attributes are set
     * at its start, as the conventions ask.
     *
     * @param tryNumber 1 for the first try on this target, 2 for its first retry, …
     */
    public AttemptTrace attempt(ClientRequest clientRequest, ModelConfig model, ProviderConfig provider,
                                int tryNumber) {
        if (span == null) {
            return AttemptTrace.NONE;
        }
        String upstreamModel = model.upstreamModel();
        var builder = tracer.spanBuilder(operation + " " + upstreamModel)
                .setParent(context)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(GenAi.OPERATION_NAME, operation)
                .setAttribute(GenAi.PROVIDER_NAME, GenAi.providerName(provider.type()))
                .setAttribute(GenAi.REQUEST_MODEL, upstreamModel)
                .setAttribute(GenAi.SWITCHBOARD_PROVIDER, provider.id())
                .setAttribute(GenAi.SWITCHBOARD_MODEL, model.id())
                .setAttribute(GenAi.SWITCHBOARD_TRY, (long) tryNumber);
        URI baseUrl = provider.baseUrl();
        if (baseUrl != null && baseUrl.getHost() != null) {
            builder.setAttribute(GenAi.SERVER_ADDRESS, baseUrl.getHost());
            builder.setAttribute(GenAi.SERVER_PORT, (long) port(baseUrl));
        }
        if (clientRequest.stream()) {
            builder.setAttribute(GenAi.REQUEST_STREAM, true);
        }
        RequestParameters.record(clientRequest, builder);
        AttemptTrace attempt = new AttemptTrace(builder.startSpan(), context, propagator, clientRequest.protocol(),
                captureContent ? content(clientRequest) : null);
        current = attempt;
        return attempt;
    }

    private RequestContent content(ClientRequest clientRequest) {
        RequestContent made = content;
        if (made == null) {
            // Two attempts racing here would both make it, alike: no lock needed.
            made = RequestContent.of(clientRequest);
            content = made;
        }
        return made;
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    /** The first event carrying a token reached the client's queue ({@link System#nanoTime()}). */
    public void firstToken(long atNanos) {
        if (span == null) {
            return;
        }
        span.addEvent(GenAi.FIRST_TOKEN_EVENT);
        current.firstChunk(atNanos);
    }

    /**
     * The response is over ({@code status} as sent to the client): ends the span, once. A 5xx is
     * an error of the server span; a 4xx is the client's, and leaves its status unset (HTTP
     * semantic conventions, "Status").
     */
    public void end(int status) {
        if (span == null || !ended.compareAndSet(false, true)) {
            return;
        }
        span.setAttribute(GenAi.HTTP_STATUS, (long) status);
        if (status >= 500) {
            span.setAttribute(GenAi.ERROR_TYPE, Integer.toString(status));
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
