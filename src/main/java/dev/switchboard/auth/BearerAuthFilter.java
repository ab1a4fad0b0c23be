package dev.switchboard.auth;

import dev.switchboard.bootstrap.Gateway;
import dev.switchboard.bootstrap.Snapshot;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.telemetry.RequestRecord;
import dev.switchboard.web.AccessLogFilter;
import dev.switchboard.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Requires {@code Authorization: Bearer <token>} on {@code /v1/*} (RFC 6750 §2.1) and records the
 * caller for the servlets. Failures are a 401 in OpenAI's shape with {@code WWW-Authenticate:
 * Bearer}; the presented token appears in no message and no log. Stateless: tokens come from the
 * current snapshot, so a revoked token stops working on the next request.
 */
public final class BearerAuthFilter extends HttpFilter {
    public static final String CALLER_ATTRIBUTE = Caller.class.getName();
    /**
     * The configuration the token was verified against, for the rest of the request: a reload
     * between the filter and the servlet must not serve a token it revoked, nor rate-limit it
     * under limits it no longer has.
     */
    public static final String SNAPSHOT_ATTRIBUTE = Snapshot.class.getName();
    private static final String SCHEME = "Bearer ";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String token = bearerToken(request.getHeader("Authorization"));
        if (token == null) {
            reject(request, response,
                    "Missing bearer token: send the header 'Authorization: Bearer <your Switchboard token>'.");
            return;
        }
        Snapshot snapshot = Gateway.from(request.getServletContext()).snapshot();
        Caller caller = snapshot.tokens().verify(token);
        if (caller == null) {
            reject(request, response, "Incorrect API key provided. Use a token configured in Switchboard.");
            return;
        }
        request.setAttribute(CALLER_ATTRIBUTE, caller);
        request.setAttribute(SNAPSHOT_ATTRIBUTE, snapshot);
        if (request.getAttribute(AccessLogFilter.RECORD_ATTRIBUTE) instanceof RequestRecord record) {
            record.token(caller.name());
        }
        chain.doFilter(request, response);
    }

    /** The token of a Bearer credential; the scheme name is case-insensitive (RFC 7235 §2.1). */
    static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = authorization.substring(SCHEME.length()).trim();
        return token.isEmpty() ? null : token;
    }

    /** 401 in OpenAI's shape, with the challenge RFC 6750 §3 asks for. */
    static void reject(HttpServletRequest request, HttpServletResponse response, String message)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"switchboard\"");
        ErrorResponses.send(request, response, ErrorKind.INVALID_API_KEY.error(message));
    }
}
