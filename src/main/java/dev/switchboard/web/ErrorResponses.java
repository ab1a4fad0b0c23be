package dev.switchboard.web;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;

/** Writes an error synchronously, for answers that need no upstream (filters, models, 404). Stateless. */
public final class ErrorResponses {
    static final String JSON = "application/json";

    private ErrorResponses() {
    }

    /**
     * Sends {@code error} in OpenAI's shape. Every answer sent this way was decided before any
     * provider was called, which {@code x-switchboard-attempts: 0} says, as on every response.
     */
    public static void send(HttpServletResponse response, GatewayError error) throws IOException {
        byte[] body = error.toJson();
        response.setStatus(error.status());
        response.setHeader("x-switchboard-attempts", "0");
        response.setContentType(JSON);
        response.setContentLength(body.length);
        if (error.retryAfter() != null) {
            response.setHeader("Retry-After", error.retryAfter());
        }
        response.getOutputStream().write(body);
    }

    /**
     * Answers 405 in OpenAI's error shape, with {@code Allow}, unless the request's method is one
     * of {@code allowed} (RFC 9110 §15.5.6); the container's own 405 page would be HTML.
     *
     * @return whether it answered
     */
    public static boolean refusedMethod(HttpServletRequest request, HttpServletResponse response, String... allowed)
            throws IOException {
        String method = request.getMethod();
        if (Arrays.asList(allowed).contains(method)) {
            return false;
        }
        String list = String.join(", ", allowed);
        response.setHeader("Allow", list);
        send(response, ErrorKind.METHOD_NOT_ALLOWED.error(method + " is not supported on "
                + request.getRequestURI().substring(request.getContextPath().length()) + "; use " + list + "."));
        return true;
    }
}
