package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.auth.Credentials;
import dev.switchboard.error.ErrorKind;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Guards {@code /metrics}: open when the configuration says {@code "metrics": {"public": true}},
 * otherwise only to a bearer token configured with {@code "metrics": true}. Shared and stateless;
 * reads the current snapshot, so a change of rule takes effect on the next scrape.
 */
public final class MetricsAccessFilter extends HttpFilter {
    private final transient Gateway gateway;

    public MetricsAccessFilter(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (ErrorResponses.refusedMethod(request, response, "GET", "HEAD")) {
            return;
        }
        Snapshot snapshot = gateway.snapshot();
        if (snapshot.config().publicMetrics()) {
            chain.doFilter(request, response);
            return;
        }
        String token = Credentials.bearerToken(request.getHeader("Authorization"));
        Caller caller = token == null ? null : snapshot.tokens().verify(token);
        if (caller == null) {
            BearerAuthFilter.reject(request, response, "Metrics need a bearer token configured with \"metrics\": true.");
            return;
        }
        if (!caller.metrics()) {
            ErrorResponses.send(request, response, ErrorKind.PERMISSION_DENIED.error(
                    "Token '" + caller.name() + "' may not read metrics; configure it with \"metrics\": true."));
            return;
        }
        chain.doFilter(request, response);
    }
}
