package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Budgets, admin tokens and the database section (docs/spend.md). */
class SpendConfigTest {
    private static GatewayConfig parse(String extra, String token, String team) {
        return ConfigParser.parse("""
                {"providers": {"p": {"type": "echo"}}, "models": {"m": {"provider": "p"}},
                 "teams": {"research": {%s}},
                 "tokens": [{"name": "ci", "token": "sb-0123456789ab", "team": "research"%s}]%s}"""
                .formatted(team, token, extra), Map.of("DB_PASSWORD", "s3cret-password"), "test");
    }

    @Test
    void budgetsOnTokensAndTeams() {
        GatewayConfig config = parse("", ", \"budget\": {\"usd\": 20, \"period\": \"day\"}, \"admin\": true",
                "\"budget\": {\"usd\": 500.5, \"period\": \"month\"}, \"rpm\": 600");
        TokenConfig token = config.tokens().get(0);
        assertThat(token.budget().usd()).isEqualByComparingTo("20");
        assertThat(token.budget().period()).isEqualTo(BudgetPeriod.DAY);
        assertThat(token.admin()).isTrue();
        assertThat(config.teams().get("research").budget()).isEqualTo(
                new BudgetConfig(new java.math.BigDecimal("500.5"), BudgetPeriod.MONTH));
        assertThat(config.database()).isEqualTo(DatabaseConfig.DEFAULTS);
    }

    @Test
    void aBudgetNeedsAKnownPeriodAndAnAmount() {
        assertThatThrownBy(() -> parse("", ", \"budget\": {\"usd\": 20, \"period\": \"year\"}", ""))
                .hasMessageContaining("tokens[0].budget.period").hasMessageContaining("day, week, month or total");
        assertThatThrownBy(() -> parse("", ", \"budget\": {\"usd\": -1, \"period\": \"day\"}", ""))
                .hasMessageContaining("tokens[0].budget.usd");
        assertThatThrownBy(() -> parse("", "", "\"budget\": {\"period\": \"day\"}"))
                .hasMessageContaining("teams.research.budget.usd");
    }

    @Test
    void theDatabaseSectionNeverRepeatsItsSecrets() {
        GatewayConfig config = parse(", \"database\": {\"url\": \"jdbc:postgresql://db/x?password=${DB_PASSWORD}\","
                + " \"password\": \"${DB_PASSWORD}\", \"retentionDays\": 30}", "", "");
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db/x?password=s3cret-password");
        assertThat(config.database().retentionDays()).isEqualTo(30);
        assertThat(config.database().toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> parse(", \"database\": {\"url\": \"postgres://u:s3cret@db/x\"}", "", ""))
                .hasMessageContaining("database.url").satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void periodsAreUtcCalendarPeriods() {
        LocalDate thursday = LocalDate.of(2026, 12, 3);
        assertThat(BudgetPeriod.DAY.start(thursday)).isEqualTo(thursday);
        assertThat(BudgetPeriod.WEEK.start(thursday)).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(BudgetPeriod.MONTH.start(thursday)).isEqualTo(LocalDate.of(2026, 12, 1));
        assertThat(BudgetPeriod.TOTAL.start(thursday)).isEqualTo(BudgetPeriod.BEGINNING);
        assertThat(BudgetPeriod.MONTH.reset(LocalDate.of(2026, 12, 1))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(BudgetPeriod.WEEK.reset(LocalDate.of(2026, 11, 30))).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(BudgetPeriod.TOTAL.reset(BudgetPeriod.BEGINNING)).isNull();
        assertThat(BudgetPeriod.DAY.start(Instant.parse("2026-12-03T23:59:59Z"))).isEqualTo(thursday);
    }
}
