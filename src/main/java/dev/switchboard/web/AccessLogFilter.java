package dev.switchboard.web;

import dev.switchboard.telemetry.AccessLog;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.telemetry.RequestRecord;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Opens a {@link RequestRecord} for every API request and, when the request is over (after its
 * asynchronous part, for the model endpoints), writes its access-log line and counts it in the
 * metrics, with the endpoint as a label. Shared and stateless; mapped on {@code /v1/*} after the request-id filter and before auth.
 */
public final class AccessLogFilter extends HttpFilter {
    public static final String RECORD_ATTRIBUTE = RequestRecord.class.getName();

    private final transient GatewayMetrics metrics;

    public AccessLogFilter(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        RequestRecord record = new RequestRecord(System.nanoTime(),
                (String) request.getAttribute(RequestIdFilter.ATTRIBUTE), request.getRemoteAddr());
        request.setAttribute(RECORD_ATTRIBUTE, record);
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        finish(request, response, record);
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
                finish(request, response, record);
            }
        }
    }

    private void finish(HttpServletRequest request, HttpServletResponse response, RequestRecord record) {
        long end = System.nanoTime();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        int status = response.getStatus();
        AccessLog.write(record, request.getMethod(), path, status, end);
        Door door = Door.at(path);
        if (door != null) {
            metrics.request(door.endpoint(), record.model(), record.provider(), status, record.isStream(),
                    (end - record.startNanos()) / 1e9);
            if (record.usage() != null && record.tokenName() != null) {
                metrics.tokens(record.model(), record.tokenName(), record.usage().promptTokens(),
                        record.usage().completionTokens());
                metrics.cost(record.tokenName(), record.teamName(), record.model(), record.costPicoUsd());
            }
        }
    }
}
