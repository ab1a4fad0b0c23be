package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.json.Json;
import dev.switchboard.ledger.UsageQuery;
import dev.switchboard.ledger.UsageReports;
import dev.switchboard.ledger.UsageRow;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The usage API's pages (docs/spend.md#pages): OpenAI's bucket counts per report, an opaque
 * cursor that resumes where a page ended, and a 400 naming the parameter for a bad one.
 */
class UsagePageTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final LocalDate YEAR_AGO = LocalDate.of(2025, 12, 7);

    static UsagePage.Parameters parameters(String... pairs) {
        Map<String, String[]> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], new String[] {pairs[i + 1]});
        }
        return map::get;
    }

    static String start(LocalDate day) {
        return Long.toString(day.atStartOfDay(ZoneOffset.UTC).toEpochSecond());
    }

    @Test
    void eachReportHasOpenAisBucketCounts() {
        UsagePage costs = UsagePage.of(UsagePage.Report.COSTS, parameters("start_time",
                start(YEAR_AGO)), NOW);
        assertThat(costs.from()).isEqualTo(YEAR_AGO);
        assertThat(costs.to()).as("7 buckets by default").isEqualTo(YEAR_AGO.plusDays(7));
        assertThat(costs.last()).isEqualTo(LocalDate.of(2026, 12, 7));
        assertThat(UsagePage.of(UsagePage.Report.COSTS, parameters("start_time", start(YEAR_AGO), "limit",
                "180"), NOW).to()).isEqualTo(YEAR_AGO.plusDays(180));
        assertThat(UsagePage.of(UsagePage.Report.COMPLETIONS, parameters("start_time", start(YEAR_AGO),
                "limit", "31"), NOW).to()).isEqualTo(YEAR_AGO.plusDays(31));
        assertThat(UsagePage.of(UsagePage.Report.COMPLETIONS, parameters("start_time", start(YEAR_AGO)),
                NOW).to()).isEqualTo(YEAR_AGO.plusDays(7));
        assertThat(param(UsagePage.Report.COMPLETIONS, "start_time", start(YEAR_AGO), "limit", "32"))
                .isEqualTo("limit");
        assertThat(param(UsagePage.Report.COSTS, "start_time", start(YEAR_AGO), "limit", "181")).isEqualTo("limit");
        assertThat(param(UsagePage.Report.COSTS, "start_time", start(YEAR_AGO), "limit", "0")).isEqualTo("limit");
        assertThat(param(UsagePage.Report.COSTS, "start_time", start(YEAR_AGO), "limit", "7d")).isEqualTo("limit");
        assertThat(param(UsagePage.Report.COSTS, "start_time", "x")).isEqualTo("start_time");
        assertThat(param(UsagePage.Report.COSTS, "start_time", start(YEAR_AGO), "bucket_width", "1h"))
                .isEqualTo("bucket_width");
        assertThat(param(UsagePage.Report.COSTS, "start_time", start(YEAR_AGO), "group_by", "project_id"))
                .isEqualTo("group_by");
    }

    @Test
    void theNextPageStartsWhereAPageEnded() {
        String year = start(YEAR_AGO);
        UsagePage first = UsagePage.of(UsagePage.Report.COMPLETIONS, parameters("start_time", year,
                "group_by", "token,model"), NOW);
        JsonObject answer = json(UsageJson.page(first, new UsageReports.Report(List.of(), first.to())));
        assertThat(answer.getJsonArray("data")).hasSize(7);
        assertThat(answer.getBoolean("has_more")).isTrue();
        String cursor = answer.getString("next_page");
        assertThat(cursor).as("opaque: no time a client could take apart").doesNotContain(start(first.to()))
                .doesNotContain(first.to().toString());

        UsagePage second = UsagePage.of(UsagePage.Report.COMPLETIONS, parameters("start_time", year,
                "group_by", "token,model", "page", cursor), NOW);
        assertThat(second.from()).isEqualTo(YEAR_AGO.plusDays(7));
        assertThat(second.groupBy()).containsExactly(UsageQuery.GroupBy.TOKEN, UsageQuery.GroupBy.MODEL);

        // A report cut short by its results: the page holds the days it covers, the next starts after them.
        UsageRow row = new UsageRow(second.from(), Map.of(UsageQuery.GroupBy.TOKEN, "alice", UsageQuery.GroupBy.MODEL,
                "m"), 1, 2, 3, 0, 0, 0, new BigDecimal("0.5"));
        JsonObject cut = json(UsageJson.page(second, new UsageReports.Report(List.of(row), second.from().plusDays(2))));
        assertThat(cut.getJsonArray("data")).hasSize(2);
        assertThat(cut.getJsonArray("data").getJsonObject(0).getJsonArray("results").getJsonObject(0)
                .getString("token")).isEqualTo("alice");
        UsagePage third = UsagePage.of(UsagePage.Report.COMPLETIONS, parameters("start_time", year,
                "page", cut.getString("next_page")), NOW);
        assertThat(third.from()).isEqualTo(second.from().plusDays(2));

        // The last page.
        UsagePage end = UsagePage.of(UsagePage.Report.COSTS, parameters("start_time", year,
                "page", UsageCursor.of(LocalDate.of(2026, 12, 4))), NOW);
        JsonObject last = json(UsageJson.page(end, new UsageReports.Report(List.of(), end.to())));
        assertThat(last.getJsonArray("data")).hasSize(3);
        assertThat(last.getBoolean("has_more")).isFalse();
        assertThat(last.isNull("next_page")).isTrue();
    }

    @Test
    void aPageThatIsNotOneOfOursIsA400() {
        String year = start(YEAR_AGO);
        for (String page : List.of("x", "1764547200", "page_", "page_!!", "page_" + "A".repeat(80),
                UsageCursor.of(YEAR_AGO.minusDays(1)), UsageCursor.of(LocalDate.of(2026, 12, 7)))) {
            assertThat(param(UsagePage.Report.COSTS, "start_time", year, "page", page)).as(page).isEqualTo("page");
        }
    }

    private static String param(UsagePage.Report report, String... pairs) {
        try {
            UsagePage.of(report, parameters(pairs), NOW);
        } catch (UsagePage.BadParameter e) {
            return e.param;
        }
        return null;
    }

    private static JsonObject json(byte[] body) {
        return Json.parseObject(body);
    }
}
