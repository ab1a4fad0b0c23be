package dev.switchboard.web;

import dev.switchboard.auth.BearerAuthFilter;
import dev.switchboard.auth.Caller;
import dev.switchboard.bootstrap.Gateway;
import dev.switchboard.bootstrap.Snapshot;
import dev.switchboard.error.ErrorKind;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /v1/chat/completions}. Checks what can be checked before reading the body, then
 * hands the request to a {@link ChatExchange} and returns the container thread at once. Shared and
 * stateless.
 */
public final class ChatCompletionsServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        if (!"POST".equals(clientRequest.getMethod())) {
            clientResponse.setHeader("Allow", "POST");
            ErrorResponses.send(clientResponse, ErrorKind.METHOD_NOT_ALLOWED.error(
                    clientRequest.getMethod() + " is not supported here; use POST /v1/chat/completions."));
            return;
        }
        Gateway gateway = Gateway.from(getServletContext());
        Snapshot snapshot = gateway.snapshot();
        long declared = clientRequest.getContentLengthLong();
        if (declared > snapshot.config().maxRequestBytes()) {
            ErrorResponses.send(clientResponse, ErrorKind.REQUEST_TOO_LARGE.error("The request body is larger than the "
                    + snapshot.config().maxRequestBytes() + "-byte limit."));
            return;
        }
        Caller caller = (Caller) clientRequest.getAttribute(BearerAuthFilter.CALLER_ATTRIBUTE);
        ChatExchange.start(clientRequest, clientResponse, snapshot, gateway.scheduler(), caller);
    }
}
