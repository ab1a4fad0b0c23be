package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.auth.Credentials;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.telemetry.RequestRecord;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Requires a Switchboard token on {@code /v1/*}: {@code Authorization: Bearer <token>} (RFC 6750
 * §2.1), or {@code x-api-key: <token>}, which Anthropic's SDKs and Claude Code send
 * (docs/protocols/anthropic-messages-ingress.md §2); when both come, the bearer token decides. It
 * records the caller for the servlets. Failures are a 401 in the door's shape with
 * {@code WWW-Authenticate: Bearer}; the presented token appears in no message and no log. Shared and stateless: tokens come
 * from the current snapshot, so a revoked token stops working on the next request.
 */
public final class BearerAuthFilter extends HttpFilter {
    static final String CALLER_ATTRIBUTE = Caller.class.getName();
    /**
     * The configuration the token was verified against, for the rest of the request: a reload
     * between the filter and the servlet must not serve a token it revoked, nor rate-limit it
     * under limits it no longer has.
     */
    static final String SNAPSHOT_ATTRIBUTE = Snapshot.class.getName();
    static final String API_KEY_HEADER = "x-api-key";

    private final transient Gateway gateway;

    public BearerAuthFilter(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String token = Credentials.bearerToken(request.getHeader("Authorization"));
        if (token == null) {
            token = Credentials.apiKey(request.getHeader(API_KEY_HEADER));
        }
        if (token == null) {
            reject(request, response, "Missing bearer token: send the header 'Authorization: Bearer <your Switchboard"
                    + " token>' (or 'x-api-key: <your Switchboard token>').");
            return;
        }
        Snapshot snapshot = gateway.snapshot();
        Caller caller = snapshot.tokens().verify(token);
        if (caller == null) {
            reject(request, response, "Incorrect API key provided. Use a token configured in Switchboard.");
            return;
        }
        request.setAttribute(CALLER_ATTRIBUTE, caller);
        request.setAttribute(SNAPSHOT_ATTRIBUTE, snapshot);
        if (request.getAttribute(AccessLogFilter.RECORD_ATTRIBUTE) instanceof RequestRecord record) {
            record.token(caller.name());
            record.team(caller.team() == null ? null : caller.team().name());
        }
        chain.doFilter(request, response);
    }

    /** 401 in OpenAI's shape, with the challenge RFC 6750 §3 asks for. */
    static void reject(HttpServletRequest request, HttpServletResponse response, String message)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"switchboard\"");
        ErrorResponses.send(request, response, ErrorKind.INVALID_API_KEY.error(message));
    }
}
