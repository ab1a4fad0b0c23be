package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.limits.Decision;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The {@code POST} of one front door ({@link Door}: chat completions, Messages and its
 * {@code count_tokens}, Responses, embeddings). Checks what can be checked before reading the
 * body (size, the token's rate limits), answering in the door's error shape, then hands the
 * request to an exchange and returns the container thread at once. Shared and stateless.
 */
public final class DoorServlet extends HttpServlet {
    /** Seconds a client refused by a stopping instance waits before it sends again (elsewhere, usually). */
    static final String SHUTDOWN_RETRY_AFTER = "1";

    private final transient Gateway gateway;
    private final transient Door door;

    private DoorServlet(Gateway gateway, Door door) {
        this.gateway = gateway;
        this.door = door;
    }

    /** The servlet of each door, by the path it serves. */
    public static java.util.Map<String, DoorServlet> all(Gateway gateway) {
        java.util.Map<String, DoorServlet> servlets = new java.util.LinkedHashMap<>();
        for (Door door : Door.values()) {
            servlets.put(door.path(), new DoorServlet(gateway, door));
        }
        return servlets;
    }

    @Override
    protected void service(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        if (ErrorResponses.refusedMethod(clientRequest, clientResponse, "POST")) {
            return;
        }
        if (gateway.isDraining()) {
            ErrorResponses.send(clientRequest, clientResponse, ErrorKind.SHUTTING_DOWN.error(
                    "Switchboard is shutting down; send the request again to reach another instance.")
                    .withRetryAfter(SHUTDOWN_RETRY_AFTER), door.format());
            return;
        }
        Snapshot snapshot = (Snapshot) clientRequest.getAttribute(BearerAuthFilter.SNAPSHOT_ATTRIBUTE);
        long declared = clientRequest.getContentLengthLong();
        if (declared > snapshot.config().maxRequestBytes()) {
            ErrorResponses.send(clientRequest, clientResponse, ErrorKind.REQUEST_TOO_LARGE.error(
                    "The request body is larger than the " + snapshot.config().maxRequestBytes() + "-byte limit."),
                    door.format());
            return;
        }
        Caller caller = (Caller) clientRequest.getAttribute(BearerAuthFilter.CALLER_ATTRIBUTE);
        Decision limit = gateway.rateLimiter().acquire(caller.name(), caller.limits());
        if (!limit.allowed()) {
            refuse(clientRequest, clientResponse, caller, limit);
            return;
        }
        ChatExchange.start(clientRequest, clientResponse, gateway, snapshot, caller, RateLimitHeaders.of(limit), door);
    }

    /** A 429 in the door's shape for a token over its own budget (not a provider's limit). */
    private void refuse(HttpServletRequest clientRequest, HttpServletResponse clientResponse, Caller caller,
                               Decision limit) throws IOException {
        for (HeaderField header : RateLimitHeaders.of(limit)) {
            clientResponse.setHeader(header.name(), header.value());
        }
        boolean tokens = limit.exhausted() == Decision.Budget.TOKENS;
        ErrorKind kind = tokens ? ErrorKind.TOKENS_PER_MINUTE : ErrorKind.REQUESTS_PER_MINUTE;
        String unit = tokens ? "tokens per minute (tpm)" : "requests per minute (rpm)";
        Long budget = tokens ? caller.limits().tpm() : caller.limits().rpm();
        ErrorResponses.send(clientRequest, clientResponse, kind.error("Rate limit reached for " + unit + " on token '"
                + caller.name() + "': limit " + budget + ". Please try again in " + limit.retryAfterSeconds() + "s.")
                .withRetryAfter(Long.toString(limit.retryAfterSeconds())), door.format());
    }
}
