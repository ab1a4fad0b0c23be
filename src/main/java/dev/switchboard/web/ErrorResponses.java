package dev.switchboard.web;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.llm.ClientFormat;
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
     * Sends {@code error} in the shape of the door at the request's path (Anthropic's on the
     * Messages paths, OpenAI's elsewhere). Every answer sent this way was decided before any
     * provider was called, which {@code x-switchboard-attempts: 0} says, as on every response.
     *
     * <p>It is also decided before the request's body is read. A server that answers without
     * reading the body should close the connection (RFC 9112 §9.6), and containers differ: Tomcat
     * reads and discards it, Jetty closes the connection when the body has not arrived yet, after
     * a response that did not say so, and a client that sends its next request on that connection
     * loses it. So a request that carries a body gets {@code Connection: close}.
     */
    public static void send(HttpServletRequest request, HttpServletResponse response, GatewayError error)
            throws IOException {
        send(request, response, error, Door.errorFormat(path(request)));
    }

    /** Sends {@code error} in {@code format}'s shape, with its status and headers. */
    static void send(HttpServletRequest request, HttpServletResponse response, GatewayError error, ClientFormat format)
            throws IOException {
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            response.setHeader("Connection", "close");
        }
        byte[] body = format.errorBody(error, (String) request.getAttribute(RequestIdFilter.ATTRIBUTE));
        String[] headers = format.errorHeaders(error);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response.setHeader(headers[i], headers[i + 1]);
        }
        response.setStatus(format.errorStatus(error));
        response.setHeader("x-switchboard-attempts", "0");
        response.setContentType(JSON);
        response.setContentLength(body.length);
        if (error.retryAfter() != null) {
            response.setHeader("Retry-After", error.retryAfter());
        }
        response.getOutputStream().write(body);
    }

    /** The request's path within the context. */
    static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
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
        send(request, response, ErrorKind.METHOD_NOT_ALLOWED.error(method + " is not supported on "
                + request.getRequestURI().substring(request.getContextPath().length()) + "; use " + list + "."));
        return true;
    }
}
