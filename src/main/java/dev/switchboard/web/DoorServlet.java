package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.config.TeamConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.limits.Concurrency;
import dev.switchboard.limits.Decision;
import dev.switchboard.limits.Quota;
import dev.switchboard.spend.BudgetRefusal;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code POST} of one front door ({@link Door}: chat completions, Messages and its
 * {@code count_tokens}, Responses, embeddings). Checks what can be checked before reading the
 * body (size, its and its team's spending budgets, the caps on requests in flight, the token's rate
 * limits), answering in the door's error shape, then hands the
 * request to an exchange and returns the container thread at once. Budgets and limits counted in a shared
 * store answer later: the request goes asynchronous first and goes on from a container thread
 * when the answer is in, so no container thread waits for the store. Shared and stateless.
 */
public final class DoorServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(DoorServlet.class);
    /**
     * Seconds a client refused by a stopping instance waits before it sends again (elsewhere,
     * usually), and one refused while the limits' store does not answer.
     */
    static final String SHUTDOWN_RETRY_AFTER = "1";
    /**
     * Seconds a client refused by a concurrency cap waits: streams end every few seconds, so a
     * place is usually free again within one (docs/hostile-clients.md#concurrency-caps).
     */
    static final String CONCURRENCY_RETRY_AFTER = "1";

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
        try {
            serve(clientRequest, clientResponse);
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            crashed(clientRequest, clientResponse, null, e);
        }
    }

    /**
     * Something threw on a container thread before the request had an exchange to end it, an
     * {@link Error} included (Tomcat rethrows those without answering): a 500 in the door's shape,
     * logged once with the request id (docs/hostile-clients.md#every-exchange-ends).
     *
     * @param asyncContext the request's, when it threw going on after a store's answer; else null
     */
    private void crashed(HttpServletRequest clientRequest, HttpServletResponse clientResponse, AsyncContext asyncContext,
                         Throwable cause) {
        try {
            LOG.error("{} request {} failed unexpectedly", door.endpoint(),
                    clientRequest.getAttribute(RequestIdFilter.ATTRIBUTE), cause);
            if (!clientResponse.isCommitted()) {
                clientResponse.resetBuffer();
                ErrorResponses.send(clientRequest, clientResponse, ErrorKind.INTERNAL.error(
                        "Switchboard failed to handle this request; the error is in its log."), door.format());
            }
            if (asyncContext != null) {
                asyncContext.complete();
            } else if (clientRequest.isAsyncStarted()) {
                clientRequest.getAsyncContext().complete();
            }
        } catch (Throwable again) {
            // Nothing more can be sent; the container ends the request.
        }
    }

    private void serve(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
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
        // The budgets first: a request refused for its budget holds no place in flight and spends no rpm.
        CompletableFuture<BudgetRefusal> budget = gateway.budgets().check(caller).toCompletableFuture();
        if (budget.isDone()) {
            afterBudget(clientRequest, clientResponse, null, snapshot, caller, budget);
            return;
        }
        AsyncContext asyncContext = goAsynchronous(clientRequest);
        budget.whenComplete((spent, error) -> resume(clientRequest, clientResponse, asyncContext,
                Concurrency.Permit.NONE,
                () -> afterBudget(clientRequest, clientResponse, asyncContext, snapshot, caller, budget)));
    }

    /** What goes on with a request once a store has answered. */
    private interface Step {
        void run() throws IOException;
    }

    /**
     * Runs {@code step} from a container thread: the store's client completes its stage on its own
     * thread. Whatever ends the step early ends the request, as {@link #service} would: a 500 for
     * a step that throws ({@link #crashed}), and the request completed when the client is gone or
     * the container no longer takes work (it is stopping).
     *
     * @param permit the request's place in flight, given back when the step ends it (at most once)
     */
    private void resume(HttpServletRequest clientRequest, HttpServletResponse clientResponse, AsyncContext asyncContext,
                        Concurrency.Permit permit, Step step) {
        try {
            asyncContext.start(() -> {
                try {
                    step.run();
                } catch (IOException e) {
                    // The client is gone (service() leaves these to the container): nothing more can be sent.
                    permit.release();
                    asyncContext.complete();
                } catch (RuntimeException | Error e) {
                    permit.release();
                    crashed(clientRequest, clientResponse, asyncContext, e);
                }
            });
        } catch (RuntimeException e) {
            // The container no longer takes work (it is stopping): end the request rather than leave it open.
            permit.release();
            asyncContext.complete();
        }
    }

    /**
     * Waits without a container thread: the stages complete within the store's timeout, and the
     * container's own timeout would cut streams short later.
     */
    private static AsyncContext goAsynchronous(HttpServletRequest clientRequest) {
        AsyncContext asyncContext = clientRequest.startAsync();
        clientRequest.setAttribute(BodyDiscarder.OWNED_ATTRIBUTE, Boolean.TRUE);
        asyncContext.setTimeout(0);
        return asyncContext;
    }

    /**
     * Refuses the request for a spent budget (or a budget store that does not answer, with
     * {@code onFailure: reject}), or takes its place in flight and asks the rate limiter.
     *
     * @param asyncContext the request's, when it went asynchronous to wait for the budgets; else null
     */
    private void afterBudget(HttpServletRequest clientRequest, HttpServletResponse clientResponse,
                             AsyncContext asyncContext, Snapshot snapshot, Caller caller,
                             CompletableFuture<BudgetRefusal> budget) throws IOException {
        boolean unavailable = budget.isCompletedExceptionally();
        BudgetRefusal spent = unavailable ? null : budget.join();
        if (unavailable || spent != null) {
            if (spent != null) {
                // OpenAI's SDKs retry a 429 unless told not to; a spent budget does not come back in seconds.
                clientResponse.setHeader("x-should-retry", "false");
                ErrorResponses.send(clientRequest, clientResponse, ErrorKind.INSUFFICIENT_QUOTA.error(spent.message()),
                        door.format());
            } else {
                unavailable(clientRequest, clientResponse);
            }
            if (asyncContext != null) {
                BodyDiscarder.endAfterAnswer(clientRequest, clientResponse, asyncContext, gateway);
            }
            return;
        }
        // Before the rate limiter, so that a request refused here spends nothing of the token's rpm.
        TeamConfig team = caller.team();
        Concurrency.Permit permit = gateway.concurrency().acquire(snapshot.config().requests().maxInFlight(),
                caller.name(), caller.maxConcurrent(), team == null ? null : team.name(),
                team == null ? null : team.maxConcurrent());
        if (permit.refusal() != null) {
            refuse(clientRequest, clientResponse, caller, permit.refusal());
            if (asyncContext != null) {
                BodyDiscarder.endAfterAnswer(clientRequest, clientResponse, asyncContext, gateway);
            }
            return;
        }
        boolean handedOver = false;
        try {
            CompletableFuture<Decision> admission = gateway.rateLimiter().acquire(caller.quotas())
                    .toCompletableFuture();
            if (admission.isDone()) {
                handedOver = true;
                admit(clientRequest, clientResponse, asyncContext, snapshot, caller, admission, permit);
                return;
            }
            AsyncContext waiting = asyncContext != null ? asyncContext : goAsynchronous(clientRequest);
            handedOver = true;
            admission.whenComplete((decision, error) -> resume(clientRequest, clientResponse, waiting, permit,
                    () -> admit(clientRequest, clientResponse, waiting, snapshot, caller, admission, permit)));
        } finally {
            if (!handedOver) {
                permit.release();
            }
        }
    }

    /** A 503 for a token with limits or a budget while their store does not answer ({@code onFailure: reject}). */
    private void unavailable(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        ErrorResponses.send(clientRequest, clientResponse, ErrorKind.LIMITS_UNAVAILABLE.error(
                "Switchboard cannot reach the store that counts this token's limits and budgets; try again shortly.")
                .withRetryAfter(SHUTDOWN_RETRY_AFTER), door.format());
    }

    /**
     * Refuses the request or starts its exchange, once the rate limiter has decided.
     *
     * @param asyncContext the request's, when it went asynchronous to wait for the decision; else null
     */
    private void admit(HttpServletRequest clientRequest, HttpServletResponse clientResponse, AsyncContext asyncContext,
                       Snapshot snapshot, Caller caller, CompletableFuture<Decision> admission,
                       Concurrency.Permit permit) throws IOException {
        Decision limit = admission.isCompletedExceptionally() ? null : admission.join();
        if (limit == null || !limit.allowed()) {
            permit.release();
            if (limit == null) {
                unavailable(clientRequest, clientResponse);
            } else {
                refuse(clientRequest, clientResponse, caller, limit);
            }
            if (asyncContext != null) {
                BodyDiscarder.endAfterAnswer(clientRequest, clientResponse, asyncContext, gateway);
            }
            return;
        }
        try {
            ChatExchange.start(clientRequest, clientResponse, asyncContext, gateway, snapshot, caller, limit, door,
                    permit);
        } catch (IOException | RuntimeException | Error e) {
            // The exchange gives the permit back when it ends; one that never started cannot.
            permit.release();
            throw e;
        }
    }

    /**
     * A 429 for a token (or its team) with as many requests in flight as it may have, or a 503
     * (Anthropic's 529 on the Messages door) for a node holding {@code requests.maxInFlight}.
     */
    private void refuse(HttpServletRequest clientRequest, HttpServletResponse clientResponse, Caller caller,
                        Concurrency.Refusal refusal) throws IOException {
        GatewayError error = switch (refusal) {
            case NODE -> ErrorKind.OVERLOADED.error("This Switchboard node holds as many requests as it may;"
                    + " try again shortly.");
            case TOKEN -> ErrorKind.TOO_MANY_CONCURRENT.error("Too many concurrent requests on token '"
                    + caller.name() + "': limit " + caller.maxConcurrent()
                    + ". Wait for one to finish, or try again in " + CONCURRENCY_RETRY_AFTER + "s.");
            case TEAM -> ErrorKind.TOO_MANY_CONCURRENT.error("Too many concurrent requests on team '"
                    + caller.team().name() + "': limit " + caller.team().maxConcurrent()
                    + ". Wait for one to finish, or try again in " + CONCURRENCY_RETRY_AFTER + "s.");
        };
        ErrorResponses.send(clientRequest, clientResponse, error.withRetryAfter(CONCURRENCY_RETRY_AFTER),
                door.format());
    }

    /** A 429 in the door's shape for a token over its own budget or its team's (not a provider's limit). */
    private void refuse(HttpServletRequest clientRequest, HttpServletResponse clientResponse, Caller caller,
                               Decision limit) throws IOException {
        for (HeaderField header : RateLimitHeaders.of(limit)) {
            clientResponse.setHeader(header.name(), header.value());
        }
        boolean tokens = limit.exhausted() == Decision.Budget.TOKENS;
        ErrorKind kind = tokens ? ErrorKind.TOKENS_PER_MINUTE : ErrorKind.REQUESTS_PER_MINUTE;
        String unit = tokens ? "tokens per minute (tpm)" : "requests per minute (rpm)";
        Quota over = limit.over() != null ? limit.over() : Quota.token(caller.name(), caller.limits());
        Long budget = tokens ? over.limits().tpm() : over.limits().rpm();
        ErrorResponses.send(clientRequest, clientResponse, kind.error("Rate limit reached for " + unit + " on "
                + over.describe() + ": limit " + budget + ". Please try again in " + limit.retryAfterSeconds() + "s.")
                .withRetryAfter(Long.toString(limit.retryAfterSeconds())), door.format());
    }
}
