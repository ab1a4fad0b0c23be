package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.ledger.UsageQuery;
import dev.switchboard.ledger.UsageReports;
import dev.switchboard.ledger.UsageRow;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The usage API for admin tokens (docs/spend.md#the-usage-api): {@code GET
 * /v1/organization/costs} and {@code /v1/organization/usage/completions}, modelled on OpenAI's
 * organization Costs and Usage APIs (start_time, end_time, bucket_width, group_by, limit, page),
 * answered from the daily rollups on the reports' own thread; and {@code
 * /v1/organization/budgets}, each budget's current period from memory. Shared and stateless.
 */
public final class UsageServlet extends HttpServlet {
    /** Daily buckets returned when {@code limit} is not given (OpenAI's default). */
    static final int DEFAULT_BUCKETS = 7;
    /** The most daily buckets one page holds: a year. */
    static final int MAX_BUCKETS = 366;
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
            write(clientResponse, UsageJson.budgets(gateway.snapshot().config(), gateway.budgets(), Instant.now()));
            return;
        }
        boolean costs = path.equals(COSTS);
        if (!costs && !path.equals(COMPLETIONS)) {
            ErrorResponses.send(clientRequest, clientResponse, ErrorKind.NOT_FOUND.error("Unknown path " + path + "."));
            return;
        }
        Page page;
        try {
            page = Page.of(clientRequest);
        } catch (IllegalArgumentException e) {
            ErrorResponses.send(clientRequest, clientResponse, ErrorKind.INVALID_REQUEST.error(e.getMessage()));
            return;
        }
        AsyncContext async = clientRequest.startAsync();
        async.setTimeout(0);
        reports.report(new UsageQuery(page.from(), page.to(), page.groupBy())).whenComplete((rows, error) -> {
            try {
                if (error != null) {
                    ErrorResponses.send(clientRequest, clientResponse, ErrorKind.OVERLOADED.error(
                            "The usage report could not be made now (the ledger's database is busy or does not answer);"
                                    + " try again shortly.").withRetryAfter("5"));
                } else {
                    write(clientResponse, UsageJson.page(costs, page, rows));
                }
            } catch (IOException | RuntimeException e) {
                // The client left; nothing more to tell it.
            } finally {
                async.complete();
            }
        });
    }

    private static void write(HttpServletResponse clientResponse, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        clientResponse.setStatus(200);
        clientResponse.setContentType(ErrorResponses.JSON);
        clientResponse.setContentLength(body.length);
        clientResponse.getOutputStream().write(body);
    }

    /**
     * The days one answer covers: from the UTC day holding {@code start_time} (or {@code page})
     * to {@code end_time}, at most {@code limit} of them, and whether more follow.
     */
    record Page(LocalDate from, LocalDate to, List<UsageQuery.GroupBy> groupBy, LocalDate next) {
        static Page of(HttpServletRequest request) {
            long start = seconds(request.getParameter("page") != null ? request.getParameter("page")
                    : request.getParameter("start_time"), "start_time");
            String endText = request.getParameter("end_time");
            long end = endText == null ? Instant.now().getEpochSecond() + 1 : seconds(endText, "end_time");
            if (end <= start) {
                throw new IllegalArgumentException("end_time must be after start_time.");
            }
            String width = request.getParameter("bucket_width");
            if (width != null && !width.equals("1d")) {
                throw new IllegalArgumentException("bucket_width '" + clip(width) + "' is not supported; use 1d.");
            }
            int limit = DEFAULT_BUCKETS;
            String limitText = request.getParameter("limit");
            if (limitText != null) {
                try {
                    limit = Integer.parseInt(limitText);
                } catch (NumberFormatException e) {
                    limit = -1;
                }
                if (limit < 1 || limit > MAX_BUCKETS) {
                    throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_BUCKETS + ".");
                }
            }
            Set<UsageQuery.GroupBy> groups = new LinkedHashSet<>();
            List<String> values = new ArrayList<>();
            for (String name : List.of("group_by", "group_by[]")) {
                String[] given = request.getParameterValues(name);
                if (given != null) {
                    for (String value : given) {
                        values.addAll(List.of(value.split(",")));
                    }
                }
            }
            for (String value : values) {
                UsageQuery.GroupBy group = UsageQuery.GroupBy.of(value.trim());
                if (group == null) {
                    throw new IllegalArgumentException("group_by '" + clip(value) + "' is not supported; use token,"
                            + " team, model or provider.");
                }
                groups.add(group);
            }
            LocalDate from = day(start);
            // end_time is exclusive: the last day is the one holding its last second.
            LocalDate last = day(end - 1).plusDays(1);
            LocalDate to = from.plusDays(limit).isBefore(last) ? from.plusDays(limit) : last;
            return new Page(from, to, List.copyOf(groups), to.isBefore(last) ? to : null);
        }

        private static long seconds(String text, String name) {
            if (text == null) {
                throw new IllegalArgumentException(name + " is required: a Unix time in seconds.");
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a Unix time in seconds, not '" + clip(text) + "'.");
            }
        }

        private static LocalDate day(long epochSecond) {
            return LocalDate.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
        }

        private static String clip(String text) {
            return text.length() > 40 ? text.substring(0, 40) + "…" : text;
        }
    }
}
