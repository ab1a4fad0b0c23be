package dev.switchboard.web;

import dev.switchboard.config.BudgetConfig;
import dev.switchboard.json.Json;
import dev.switchboard.ledger.UsageQuery;
import dev.switchboard.ledger.UsageReports;
import dev.switchboard.ledger.UsageRow;
import dev.switchboard.spend.Budgets;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The usage API's bodies, in the shape of OpenAI's organization Costs and Usage APIs: a
 * {@code page} of daily {@code bucket}s, each with its {@code results}. Stateless.
 */
final class UsageJson {
    private UsageJson() {
    }

    /**
     * One page: a bucket per day the report covers (empty days included), and the cursor of the
     * next page when the report ended before the range did (at {@code limit} buckets, or at
     * {@link UsageReports#MAX_RESULTS} results).
     */
    static byte[] page(UsagePage page, UsageReports.Report report) {
        boolean costs = page.report() == UsagePage.Report.COSTS;
        List<UsageRow> rows = report.rows();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            g.write("object", "page");
            g.writeStartArray("data");
            int next = 0;
            for (LocalDate day = page.from(); day.isBefore(report.to()); day = day.plusDays(1)) {
                g.writeStartObject();
                g.write("object", "bucket");
                g.write("start_time", epoch(day));
                g.write("end_time", epoch(day.plusDays(1)));
                g.writeStartArray("results");
                while (next < rows.size() && rows.get(next).day().equals(day)) {
                    UsageRow row = rows.get(next++);
                    if (costs) {
                        cost(g, row, page.groupBy());
                    } else {
                        usage(g, row, page.groupBy());
                    }
                }
                g.writeEnd();
                g.writeEnd();
            }
            g.writeEnd();
            boolean more = report.to().isBefore(page.last());
            g.write("has_more", more);
            if (more) {
                g.write("next_page", UsageCursor.of(report.to()));
            } else {
                g.writeNull("next_page");
            }
            g.writeEnd();
        }
        return out.toByteArray();
    }

    private static void cost(JsonGenerator g, UsageRow row, List<UsageQuery.GroupBy> groupBy) {
        g.writeStartObject();
        g.write("object", "organization.costs.result");
        g.writeStartObject("amount");
        g.write("value", row.costUsd().stripTrailingZeros());
        g.write("currency", "usd");
        g.writeEnd();
        g.writeNull("line_item");
        g.writeNull("project_id");
        groups(g, row, groupBy);
        g.writeEnd();
    }

    private static void usage(JsonGenerator g, UsageRow row, List<UsageQuery.GroupBy> groupBy) {
        g.writeStartObject();
        g.write("object", "organization.usage.completions.result");
        g.write("input_tokens", row.inputTokens());
        g.write("output_tokens", row.outputTokens());
        g.write("input_cached_tokens", row.cachedTokens());
        g.write("input_cache_write_tokens", row.cacheWriteTokens());
        g.write("output_reasoning_tokens", row.reasoningTokens());
        g.write("input_audio_tokens", 0);
        g.write("output_audio_tokens", 0);
        g.write("num_model_requests", row.requests());
        g.writeNull("project_id");
        g.writeNull("user_id");
        g.writeNull("api_key_id");
        g.writeNull("batch");
        groups(g, row, groupBy);
        g.writeEnd();
    }

    /** Each grouping, null when not grouped by (as OpenAI's results carry every group field). */
    private static void groups(JsonGenerator g, UsageRow row, List<UsageQuery.GroupBy> groupBy) {
        for (UsageQuery.GroupBy group : UsageQuery.GroupBy.values()) {
            String value = groupBy.contains(group) ? row.groups().get(group) : null;
            if (value == null) {
                g.writeNull(group.parameter());
            } else {
                g.write(group.parameter(), value);
            }
        }
    }

    /**
     * Every budget of the configuration with its current period's spend, where it was counted
     * ({@code source}), and whether Redis answered ({@code redis}, null without Redis).
     */
    static byte[] budgets(Budgets.Standings standings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            g.write("object", "list");
            g.writeStartArray("data");
            for (Budgets.Standing standing : standings.budgets()) {
                budget(g, standing);
            }
            g.writeEnd();
            if (standings.redis().label == null) {
                g.writeNull("redis");
            } else {
                g.write("redis", standings.redis().label);
            }
            g.writeEnd();
        }
        return out.toByteArray();
    }

    private static void budget(JsonGenerator g, Budgets.Standing standing) {
        BudgetConfig budget = standing.budget();
        g.writeStartObject();
        g.write("object", "organization.budget");
        g.write("owner", standing.owner());
        g.write("name", standing.name());
        g.write("period", budget.period().configName());
        g.write("period_start", epoch(standing.periodStart()));
        Instant reset = budget.period().reset(standing.periodStart());
        if (reset == null) {
            g.writeNull("resets_at");
        } else {
            g.write("resets_at", reset.getEpochSecond());
        }
        g.write("budget_usd", budget.usd());
        g.write("spent_usd", standing.spent());
        BigDecimal remaining = budget.usd().subtract(standing.spent());
        g.write("remaining_usd", remaining.signum() < 0 ? BigDecimal.ZERO : remaining);
        g.write("source", standing.source().label);
        g.writeEnd();
    }

    private static long epoch(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }
}
