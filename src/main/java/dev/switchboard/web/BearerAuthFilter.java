package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.auth.Credentials;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.identity.JwtOutcome;
import dev.switchboard.telemetry.RequestRecord;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Requires a Switchboard token on {@code /v1/*}: {@code Authorization: Bearer <token>} (RFC 6750
 * §2.1), or {@code x-api-key: <token>}, which Anthropic's SDKs and Claude Code send
 * (docs/protocols/anthropic-messages-ingress.md §2); when both come, the bearer token decides. It
 * records the caller for the servlets. Failures are a 401 in the door's shape with
 * {@code WWW-Authenticate: Bearer}; the presented token appears in no message and no log. Shared and stateless: tokens come
 * from the current snapshot, so a revoked token stops working on the next request.
 *
 * <p>With issuers under {@code auth.jwt}, a token that parses as a JWT is checked as one
 * (docs/identity.md) and anything else against the static tokens. A JWT whose key is cached is
 * decided on the spot; one whose key must be fetched first puts the request in asynchronous mode
 * and returns the thread: when the keys are in, the request is dispatched again
 * ({@link AsyncContext#dispatch()}, Jakarta Servlet 6.0 §2.3.3.3) and this filter, mapped for
 * asynchronous dispatches too, goes on from the outcome it left on the request.
 */
public final class BearerAuthFilter extends HttpFilter {
    static final String CALLER_ATTRIBUTE = Caller.class.getName();
    /**
     * The configuration the token was verified against, for the rest of the request: a reload
     * between the filter and the servlet must not serve a token it revoked, nor rate-limit it
     * under limits it no longer has.
     */
    static final String SNAPSHOT_ATTRIBUTE = Snapshot.class.getName();
    /** The outcome of a JWT check that waited for keys, for the dispatch that follows it. */
    static final String JWT_OUTCOME_ATTRIBUTE = JwtOutcome.class.getName();
    static final String API_KEY_HEADER = "x-api-key";

    private final transient Gateway gateway;

    public BearerAuthFilter(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            if (request.getAttribute(JWT_OUTCOME_ATTRIBUTE) instanceof JwtOutcome outcome) {
                request.removeAttribute(JWT_OUTCOME_ATTRIBUTE);
                apply(request, response, chain, (Snapshot) request.getAttribute(SNAPSHOT_ATTRIBUTE), outcome);
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
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
        CompletableFuture<JwtOutcome> jwt = snapshot.jwt() == null ? null : snapshot.jwt().authenticate(token);
        if (jwt != null) {
            if (jwt.isDone()) {
                apply(request, response, chain, snapshot, jwt.join());
            } else {
                awaitKeys(request, snapshot, jwt);
            }
            return;
        }
        Caller caller = snapshot.tokens().verify(token);
        if (caller == null) {
            reject(request, response, "Incorrect API key provided. Use a token configured in Switchboard.");
            return;
        }
        proceed(request, response, chain, snapshot, caller);
    }

    /** Goes asynchronous until the JWT's keys are fetched; the fetch's own deadline bounds the wait. */
    private static void awaitKeys(HttpServletRequest request, Snapshot snapshot, CompletableFuture<JwtOutcome> jwt) {
        request.setAttribute(SNAPSHOT_ATTRIBUTE, snapshot);
        AsyncContext asyncContext = request.startAsync();
        // The fetch completes within its deadline; the container's timeout would cut streams short later.
        asyncContext.setTimeout(0);
        jwt.whenComplete((outcome, error) -> {
            request.setAttribute(JWT_OUTCOME_ATTRIBUTE, outcome != null ? outcome
                    : new JwtOutcome(null, JwtOutcome.Refusal.KEYS_UNAVAILABLE, "The token could not be checked."));
            try {
                asyncContext.dispatch();
            } catch (IllegalStateException e) {
                // The request ended meanwhile (the container is stopping): nothing is left to answer.
                asyncContext.complete();
            }
        });
    }

    private static void apply(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                              Snapshot snapshot, JwtOutcome outcome) throws IOException, ServletException {
        if (outcome.refusal() == null) {
            proceed(request, response, chain, snapshot, outcome.caller());
            return;
        }
        switch (outcome.refusal()) {
            case INVALID_TOKEN -> {
                // RFC 6750 §3: error_description is a quoted string of printable ASCII without '"' or '\'.
                response.setHeader("WWW-Authenticate", "Bearer realm=\"switchboard\", error=\"invalid_token\","
                        + " error_description=\"" + outcome.message().replaceAll("[^\\x20-\\x7E]|[\"\\\\]", "'") + "\"");
                ErrorResponses.send(request, response, ErrorKind.INVALID_API_KEY.error(outcome.message()));
            }
            case NO_TEAM -> ErrorResponses.send(request, response, ErrorKind.PERMISSION_DENIED.error(outcome.message()));
            case KEYS_UNAVAILABLE -> ErrorResponses.send(request, response,
                    ErrorKind.IDENTITY_PROVIDER_UNAVAILABLE.error(outcome.message()));
        }
    }

    private static void proceed(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                                Snapshot snapshot, Caller caller) throws IOException, ServletException {
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
