package dev.switchboard.web;

import dev.switchboard.error.ErrorKind;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Every path nothing else serves: a 404 in OpenAI's error shape rather than the container's HTML. Stateless. */
public final class NotFoundServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ErrorResponses.send(request, response, ErrorKind.NOT_FOUND.error("Unknown path " + request.getMethod() + " "
                + request.getRequestURI() + ". Switchboard serves POST /v1/chat/completions and GET /v1/models."));
    }
}
