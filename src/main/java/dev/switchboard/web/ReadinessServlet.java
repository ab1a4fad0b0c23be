package dev.switchboard.web;

import dev.switchboard.json.Json;
import dev.switchboard.routing.Target;
import jakarta.json.stream.JsonGenerator;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /readyz}: 200 while the configuration is loaded and at least one target is not
 * cooling down; 503 with the reason while every target is, or while the application stops. No
 * auth: load balancers and orchestrators probe it. Stateless.
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
        } else {
            List<Target> targets = gateway.snapshot().router().targets();
            if (targets.stream().allMatch(gateway.dispatcher().cooldowns()::isCoolingDown)) {
                reason = "Every configured model is cooling down after repeated failures: "
                        + String.join(", ", targets.stream().map(t -> t.model().id()).toList()) + ".";
            }
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
