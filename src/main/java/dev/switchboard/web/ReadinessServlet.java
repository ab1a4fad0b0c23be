package dev.switchboard.web;

import dev.switchboard.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code GET /readyz}: 200 while the configuration is loaded, cooling targets included (they stay
 * in every plan, and a provider outage must not take every node out of the load balancer at
 * once: docs/operations.md#health); 503 with the reason while the application stops. No auth:
 * load balancers and orchestrators probe it. Stateless.
 */
public final class ReadinessServlet extends HttpServlet {
    private final transient Gateway gateway;

    public ReadinessServlet(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (!ErrorResponses.refusedMethod(request, response, "GET", "HEAD")) {
            super.service(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String reason = null;
        if (gateway.isDraining()) {
            reason = "Switchboard is shutting down.";
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(128);
        try (JsonGenerator g = Json.generator(body)) {
            g.writeStartObject().write("status", reason == null ? "ready" : "unavailable");
            if (reason != null) {
                g.write("reason", reason);
            }
            g.writeEnd();
        }
        response.setStatus(reason == null ? 200 : 503);
        response.setContentType(ErrorResponses.JSON);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.size());
        response.getOutputStream().write(body.toByteArray());
    }
}
