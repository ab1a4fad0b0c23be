package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.ledger.LedgerRow;
import dev.switchboard.telemetry.AccessLog;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.telemetry.RequestRecord;
import dev.switchboard.tracing.RequestTrace;
import dev.switchboard.tracing.Tracing;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Opens a {@link RequestRecord} and the request's span ({@link RequestTrace}) for every API
 * request and, when the request is over (after its asynchronous part, for the model endpoints),
 * writes its access-log line, counts it in the metrics, with the endpoint as a label, and ends the
 * span. Shared and stateless; mapped on {@code /v1/*} after the request-id filter and before auth.
 */
public final class AccessLogFilter extends HttpFilter {
    public static final String RECORD_ATTRIBUTE = RequestRecord.class.getName();
    /** When the request arrived, for its ledger row, kept for a dispatch that follows an asynchronous wait. */
    static final String ARRIVED_ATTRIBUTE = AccessLogFilter.class.getName() + ".arrived";
    public static final String TRACE_ATTRIBUTE = RequestTrace.class.getName();

    /** Reads the trace context's headers from the client's request. */
    static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest clientRequest) {
            return Collections.list(clientRequest.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest clientRequest, String name) {
            return clientRequest == null ? null : clientRequest.getHeader(name);
        }
    };

    private static final String MODELS = "/v1/models";

    private final transient GatewayMetrics metrics;
    private final transient Consumer<LedgerRow> ledger;
    private final transient Tracing tracing;
    private final transient Traffic traffic;
    private final transient AccessLog accessLog;

    public AccessLogFilter(GatewayMetrics metrics) {
        this(metrics, row -> { }, Tracing.OFF, new Traffic(), AccessLog.direct(Logger.getLogger(AccessLog.LOGGER)));
    }

    /**
     * @param ledger takes each model request's ledger row when it is over; must not block
     * @param tracing where the requests' spans go, or {@link Tracing#OFF}
     * @param traffic told when a request enters and when its last line is written, for the shutdown
     * @param accessLog where each request's line goes
     */
    public AccessLogFilter(GatewayMetrics metrics, Consumer<LedgerRow> ledger, Tracing tracing, Traffic traffic,
                           AccessLog accessLog) {
        this.metrics = metrics;
        this.ledger = ledger;
        this.tracing = tracing;
        this.traffic = traffic;
        this.accessLog = accessLog;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            redispatched(request, response, chain);
            return;
        }
        Instant arrived = Instant.now();
        RequestRecord record = new RequestRecord(System.nanoTime(),
                (String) request.getAttribute(RequestIdFilter.ATTRIBUTE), request.getRemoteAddr());
        request.setAttribute(RECORD_ATTRIBUTE, record);
        request.setAttribute(ARRIVED_ATTRIBUTE, arrived);
        if (tracing.isOn()) {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            RequestTrace trace = tracing.request(request, HEADERS, request.getMethod(), route(path));
            request.setAttribute(TRACE_ATTRIBUTE, trace);
            record.traceId(trace.traceId());
        }
        traffic.entered();
        try {
            chain.doFilter(request, response);
        } finally {
            whenDone(request, response, record, arrived);
        }
    }

    /**
     * A request dispatched again after waiting asynchronously (a JWT whose keys were fetched). If
     * it goes asynchronous once more, the new cycle starts with no listeners (Jakarta Servlet 6.0,
     * {@code ServletRequest#startAsync}), so the line is hooked to it, after the exchange's own
     * listener as on the first pass; otherwise the first pass's listener writes it.
     */
    private void redispatched(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted() && request.getAttribute(RECORD_ATTRIBUTE) instanceof RequestRecord record
                    && request.getAttribute(ARRIVED_ATTRIBUTE) instanceof Instant arrived) {
                whenDone(request, response, record, arrived);
            }
        }
    }

    private void whenDone(HttpServletRequest request, HttpServletResponse response, RequestRecord record,
                          Instant arrived) {
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    finish(request, response, record, arrived);
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
            finish(request, response, record, arrived);
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

    /** Runs once per request: after its response, or after its asynchronous part completed. */
    private void finish(HttpServletRequest request, HttpServletResponse response, RequestRecord record, Instant arrived) {
        try {
            long end = System.nanoTime();
            String path = request.getRequestURI().substring(request.getContextPath().length());
            int status = response.getStatus();
            accessLog.write(record, request.getMethod(), path, status, end);
            RequestTrace trace = request.getAttribute(TRACE_ATTRIBUTE) instanceof RequestTrace t ? t : RequestTrace.NONE;
            try (Scope current = trace.makeCurrent()) {
                count(request, path, status, record, end, arrived);
            } finally {
                trace.end(status);
            }
        } finally {
            traffic.left();
        }
    }

    /** The request's metrics, observed while its span is current so that their exemplars name its trace, and its ledger row. */
    private void count(HttpServletRequest request, String path, int status, RequestRecord record, long end,
                       Instant arrived) {
        Door door = Door.at(path);
        if (door != null) {
            metrics.request(door.endpoint(), record.model(), record.provider(), status, record.isStream(),
                    (end - record.startNanos()) / 1e9);
            if (record.usage() != null && record.tokenName() != null) {
                metrics.tokens(record.model(), record.tokenName(), record.usage().promptTokens(),
                        record.usage().completionTokens());
                metrics.cost(record.tokenName(), record.teamName(), record.model(), record.costPicoUsd());
            }
            Caller caller = (Caller) request.getAttribute(BearerAuthFilter.CALLER_ATTRIBUTE);
            if (caller != null) {
                ledger.accept(LedgerRows.of(record, caller, status, end, arrived,
                        BigDecimal.valueOf(record.costPicoUsd(), 12), record.isUsageEstimated()));
            }
        }
    }
}
