package dev.switchboard.web;

import dev.switchboard.telemetry.AccessLog;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.telemetry.RequestRecord;
import dev.switchboard.tracing.RequestTrace;
import dev.switchboard.tracing.Tracing;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Opens a {@link RequestRecord} and the request's span ({@link RequestTrace}) for every API
 * request and, when the request is over (after its asynchronous part, for the model endpoints),
 * writes its access-log line, counts it in the metrics, with the endpoint as a label, and ends the
 * span. Shared and stateless; mapped on {@code /v1/*} after the request-id filter and before auth.
 */
public final class AccessLogFilter extends HttpFilter {
    public static final String RECORD_ATTRIBUTE = RequestRecord.class.getName();
    public static final String TRACE_ATTRIBUTE = RequestTrace.class.getName();

    /** Reads the trace context's headers from the client's request. */
    static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest clientRequest) {
            return java.util.Collections.list(clientRequest.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest clientRequest, String name) {
            return clientRequest == null ? null : clientRequest.getHeader(name);
        }
    };

    private static final String MODELS = "/v1/models";

    private final transient GatewayMetrics metrics;
    private final transient Tracing tracing;

    public AccessLogFilter(GatewayMetrics metrics) {
        this(metrics, Tracing.OFF);
    }

    public AccessLogFilter(GatewayMetrics metrics, Tracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        RequestRecord record = new RequestRecord(System.nanoTime(),
                (String) request.getAttribute(RequestIdFilter.ATTRIBUTE), request.getRemoteAddr());
        request.setAttribute(RECORD_ATTRIBUTE, record);
        RequestTrace trace = RequestTrace.NONE;
        if (tracing.isOn()) {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            trace = tracing.request(request, HEADERS, request.getMethod(), route(path));
            request.setAttribute(TRACE_ATTRIBUTE, trace);
            record.traceId(trace.traceId());
        }
        RequestTrace requestTrace = trace;
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        finish(request, response, record, requestTrace);
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
            } else {
                finish(request, response, record, requestTrace);
            }
        }
    }

    /**
     * The path as a span names it ({@code http.route}): a door's, or the models endpoints', else
     * none, so that random paths (404s) do not each name a span.
     */
    static String route(String path) {
        if (Door.at(path) != null || path.equals(MODELS)) {
            return path;
        }
        return path.startsWith(MODELS + "/") ? MODELS + "/{model}" : null;
    }

    private void finish(HttpServletRequest request, HttpServletResponse response, RequestRecord record,
                        RequestTrace trace) {
        long end = System.nanoTime();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        int status = response.getStatus();
        AccessLog.write(record, request.getMethod(), path, status, end);
        try (Scope current = trace.makeCurrent()) {
            count(path, status, record, end);
        } finally {
            trace.end(status);
        }
    }

    /** The request's metrics, observed while its span is current, so that its exemplar names the trace. */
    private void count(String path, int status, RequestRecord record, long end) {
        Door door = Door.at(path);
        if (door != null) {
            metrics.request(door.endpoint(), record.model(), record.provider(), status, record.isStream(),
                    (end - record.startNanos()) / 1e9);
            if (record.usage() != null && record.tokenName() != null) {
                metrics.tokens(record.model(), record.tokenName(), record.usage().promptTokens(),
                        record.usage().completionTokens());
            }
        }
    }
}
