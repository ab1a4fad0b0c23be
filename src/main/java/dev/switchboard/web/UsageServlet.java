package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.ledger.UsageQuery;
import dev.switchboard.ledger.UsageReports;
import dev.switchboard.spend.Budgets;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The usage API for admin tokens (docs/spend.md#the-usage-api): {@code GET
 * /v1/organization/costs} and {@code /v1/organization/usage/completions}, modelled on OpenAI's
 * organization Costs and Usage APIs (start_time, end_time, bucket_width, group_by, limit, page),
 * answered from the daily rollups on the reports' own thread, a page of days at a time; and {@code
 * /v1/organization/budgets}, each budget's current period, from Redis's shared counters when
 * configured, else from memory. Shared and stateless.
 */
public final class UsageServlet extends HttpServlet {
    static final String COSTS = "/v1/organization/costs";
    static final String COMPLETIONS = "/v1/organization/usage/completions";
    static final String BUDGETS = "/v1/organization/budgets";

    private final transient Gateway gateway;
    private final transient UsageReports reports;

    public UsageServlet(Gateway gateway, UsageReports reports) {
        this.gateway = gateway;
        this.reports = reports;
    }

    @Override
    protected void service(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        if (ErrorResponses.refusedMethod(clientRequest, clientResponse, "GET")) {
            return;
        }
        Caller caller = (Caller) clientRequest.getAttribute(BearerAuthFilter.CALLER_ATTRIBUTE);
        if (caller == null || !caller.admin()) {
            ErrorResponses.send(clientRequest, clientResponse, ErrorKind.PERMISSION_DENIED.error(
                    "The usage API needs a token marked \"admin\": true in the configuration."));
            return;
        }
        String path = ErrorResponses.path(clientRequest);
        if (path.equals(BUDGETS)) {
            budgets(clientRequest, clientResponse);
            return;
        }
        UsagePage.Report report = path.equals(COSTS) ? UsagePage.Report.COSTS
                : path.equals(COMPLETIONS) ? UsagePage.Report.COMPLETIONS : null;
        if (report == null) {
            ErrorResponses.send(clientRequest, clientResponse, ErrorKind.NOT_FOUND.error("Unknown path " + path + "."));
            return;
        }
        UsagePage page;
        try {
            page = UsagePage.of(report, clientRequest::getParameterValues, Instant.now());
        } catch (UsagePage.BadParameter e) {
            ErrorResponses.send(clientRequest, clientResponse, ErrorKind.INVALID_REQUEST.error(e.param, e.getMessage()));
            return;
        }
        AsyncContext async = clientRequest.startAsync();
        async.setTimeout(0);
        reports.report(new UsageQuery(page.from(), page.to(), page.groupBy())).whenComplete((found, error) -> {
            try {
                if (error != null) {
                    ErrorResponses.send(clientRequest, clientResponse, ErrorKind.OVERLOADED.error(
                            "The usage report could not be made now (the ledger's database is busy or does not answer);"
                                    + " try again shortly.").withRetryAfter("5"));
                } else {
                    write(clientResponse, UsageJson.page(page, found));
                }
            } catch (IOException | RuntimeException e) {
                // The client left; nothing more to tell it.
            } finally {
                async.complete();
            }
        });
    }

    /**
     * The budgets' standings: at once without Redis; with it, asynchronously, the container thread
     * let go until Redis answers or its timeout passes, and the answer written from a container
     * thread again, never from the Redis client's.
     */
    private void budgets(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        CompletableFuture<Budgets.Standings> standings = gateway.budgets().standings(gateway.snapshot().config())
                .toCompletableFuture();
        if (standings.isDone()) {
            write(clientResponse, UsageJson.budgets(standings.join()));
            return;
        }
        AsyncContext async = clientRequest.startAsync();
        async.setTimeout(0);
        standings.whenComplete((found, error) -> {
            try {
                async.start(() -> {
                    try {
                        if (found == null) {
                            ErrorResponses.send(clientRequest, clientResponse, ErrorKind.OVERLOADED.error(
                                    "The budgets could not be read now; try again shortly.").withRetryAfter("5"));
                        } else {
                            write(clientResponse, UsageJson.budgets(found));
                        }
                    } catch (IOException | RuntimeException e) {
                        // The client left; nothing more to tell it.
                    } finally {
                        async.complete();
                    }
                });
            } catch (RuntimeException e) {
                // The container no longer takes work (it is stopping): end the request rather than leave it open.
                async.complete();
            }
        });
    }

    private static void write(HttpServletResponse clientResponse, byte[] body) throws IOException {
        clientResponse.setStatus(200);
        clientResponse.setContentType(ErrorResponses.JSON);
        clientResponse.setContentLength(body.length);
        clientResponse.getOutputStream().write(body);
    }
}
