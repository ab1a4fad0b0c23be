package dev.switchboard.web;

import dev.switchboard.error.GatewayError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes an error synchronously, for answers that need no upstream (filters, models, 404). Stateless. */
public final class ErrorResponses {
    static final String JSON = "application/json";

    private ErrorResponses() {
    }

    public static void send(HttpServletResponse response, GatewayError error) throws IOException {
        byte[] body = error.toJson();
        response.setStatus(error.status());
        response.setContentType(JSON);
        response.setContentLength(body.length);
        if (error.retryAfter() != null) {
            response.setHeader("Retry-After", error.retryAfter());
        }
        response.getOutputStream().write(body);
    }
}
