package dev.switchboard.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;

/**
 * Tracing into the SDK's in-memory exporter, for tests: a span is exported when it ends, so a span
 * missing from {@link #spans()} is one that never ended.
 */
public final class InMemoryTracing {
    /** Headers as a map, for requests made in tests. */
    public static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    public final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    public final Tracing tracing;

    public InMemoryTracing() {
        this(false);
    }

    /** With {@code captureContent}, the attempts' spans record prompt and completion content. */
    public InMemoryTracing(boolean captureContent) {
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        tracing = Tracing.with(sdk, sdk::close, captureContent);
    }

    /** A request's trace, from these headers. */
    public RequestTrace request(Map<String, String> headers) {
        return tracing.request(headers, MAP, "POST", "/v1/chat/completions");
    }

    /** The spans that ended, in the order they ended. */
    public List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }
}
