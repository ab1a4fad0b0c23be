package dev.switchboard.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import dev.switchboard.llm.Usage;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessLogCostTest {
    @Test
    void theLineCarriesTheExactCostTheTeamAndWhetherTheUsageWasEstimated() {
        RequestRecord record = new RequestRecord(0, "req_1", "127.0.0.1");
        record.token("ci-bot");
        record.team("research");
        record.usage(new Usage(150, 250), 107_500_000L, true);

        String line = AccessLog.line(record, "POST", "/v1/chat/completions", 200, 1_000_000, Instant.EPOCH);

        JsonObject entry = Json.parseObject(line);
        assertThat(line).contains("\"cost_usd\":0.0001075");
        assertThat(entry.getJsonNumber("cost_usd").bigDecimalValue()).isEqualByComparingTo(new BigDecimal("0.0001075"));
        assertThat(entry.getBoolean("usage_estimated")).isTrue();
        assertThat(entry.getString("team")).isEqualTo("research");
    }

    @Test
    void aRequestWithoutUsageCostsZero() {
        String line = AccessLog.line(new RequestRecord(0, "req_2", null), "POST", "/v1/chat/completions", 401, 0,
                Instant.EPOCH);

        assertThat(line).contains("\"cost_usd\":0,").contains("\"usage_estimated\":false");
    }

    @Test
    void namesOutsideAsciiArriveAsTheyWere() {
        RequestRecord record = new RequestRecord(0, "req_3", null);
        record.requestedModel("modèle-模型-\uD83D\uDE00");

        String line = AccessLog.line(record, "POST", "/v1/chat/completions", 200, 0, Instant.EPOCH);

        assertThat(Json.parseObject(line).getString("requested_model")).isEqualTo("modèle-模型-\uD83D\uDE00");
    }

    @Test
    void plainDecimalsNeverUseAnExponent() {
        assertThat(Usd.format(40)).isEqualTo("0.00000000004");
        assertThat(Usd.format(2_000_000_000_000L)).isEqualTo("2");
        assertThat(Usd.format(0)).isEqualTo("0");
    }
}
