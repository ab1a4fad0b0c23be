package dev.switchboard.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * Switchboard's traces (docs/operations.md#tracing): the tracer and propagator of the
 * OpenTelemetry in use, or {@link #OFF}, where every per-request object is a shared one that does
 * nothing. Shared; one per gateway, built by {@link TracingSetup} and closed with the application.
 */
public final class Tracing implements AutoCloseable {
    /** The instrumentation scope named on every span. */
    static final String SCOPE = "dev.switchboard";

    /** No tracing: no span, no header read, no allocation per request. */
    public static final Tracing OFF = new Tracing(null, () -> { }, false);

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final Runnable shutdown;
    private final boolean captureContent;

    private Tracing(OpenTelemetry openTelemetry, Runnable shutdown, boolean captureContent) {
        this.tracer = openTelemetry == null ? null : openTelemetry.getTracer(SCOPE);
        this.propagator = openTelemetry == null ? null : openTelemetry.getPropagators().getTextMapPropagator();
        this.shutdown = shutdown;
        this.captureContent = captureContent;
    }

    /**
     * Tracing through {@code openTelemetry}, without content; {@code shutdown} flushes and stops it,
     * if it is ours to stop.
     */
    public static Tracing with(OpenTelemetry openTelemetry, Runnable shutdown) {
        return new Tracing(openTelemetry, shutdown, false);
    }

    /**
     * As {@link #with(OpenTelemetry, Runnable)}, and with {@code captureContent} the attempts' spans
     * carry prompt and completion content (docs/operations.md#tracing).
     */
    public static Tracing with(OpenTelemetry openTelemetry, Runnable shutdown, boolean captureContent) {
        return new Tracing(openTelemetry, shutdown, captureContent);
    }


    /**
     * Tracing as the environment configures it: off unless {@code OTEL_TRACES_EXPORTER} or
     * {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set (or their system properties), or the
     * OpenTelemetry Java agent runs.
     */
    public static Tracing fromEnvironment() {
        return TracingSetup.start(System.getenv(), System.getProperties());
    }

    public boolean isOn() {
        return tracer != null;
    }

    /**
     * The span of one client request, started now. It continues the trace in the request's
     * {@code traceparent} (W3C Trace Context §3.2), or, when the OpenTelemetry agent has already
     * started a server span for the request on this thread, nests under that one as an internal
     * span so that the request has one server span.
     *
     * @param route the request's low-cardinality path ({@code /v1/chat/completions}), or null
     */
    public <C> RequestTrace request(C clientRequest, TextMapGetter<C> headers, String method, String route) {
        if (tracer == null) {
            return RequestTrace.NONE;
        }
        Context current = Context.current();
        SpanContext local = Span.fromContext(current).getSpanContext();
        boolean underAgent = local.isValid() && !local.isRemote();
        Context parent = underAgent ? current : propagator.extract(Context.root(), clientRequest, headers);
        Span span = tracer.spanBuilder(route == null ? method : method + " " + route)
                .setParent(parent)
                .setSpanKind(underAgent ? SpanKind.INTERNAL : SpanKind.SERVER)
                .setAttribute(GenAi.HTTP_METHOD, method)
                .setAttribute(GenAi.HTTP_ROUTE, route)
                .startSpan();
        return new RequestTrace(tracer, propagator, span, parent.with(span), captureContent);
    }

    /** Exports what is still queued (within the exporter's timeout) and stops the SDK Switchboard started. */
    @Override
    public void close() {
        shutdown.run();
    }
}
