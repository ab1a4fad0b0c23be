package dev.switchboard.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Outermost on every path: a request answered synchronously (401, 404, 405, 413, 429, …) whose
 * body has not been read is ended by a {@link BodyDiscarder} rather than left for the container
 * to swallow on one of its threads (docs/hostile-clients.md). Shared and stateless.
 */
public final class UnreadBodyFilter extends HttpFilter {
    private final transient Gateway gateway;

    public UnreadBodyFilter(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        if (!request.isAsyncStarted() && request.getAttribute(BodyDiscarder.OWNED_ATTRIBUTE) == null
                && BodyDiscarder.hasBody(request)) {
            BodyDiscarder.endAfterAnswer(request, response, null, gateway);
        }
    }
}
