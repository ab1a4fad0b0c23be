package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.Caller;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ModelType;
import dev.switchboard.config.Pricing;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.limits.Decision;
import dev.switchboard.limits.Limits;
import dev.switchboard.limits.LocalRateLimiter;
import dev.switchboard.llm.Usage;
import dev.switchboard.routing.Target;
import dev.switchboard.spend.PriceBook;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.telemetry.RequestRecord;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExchangeAccountingTest {
    private static final Target TARGET = new Target(new ModelConfig("m", "p", "m", null),
            ProviderConfig.of("p", ProviderType.ECHO, null, null, Map.of()), null);

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final LocalRateLimiter limiter = new LocalRateLimiter();
    private final Caller caller = new Caller("alice", null, new Limits(null, 100L), false);
    private final RequestRecord record = new RequestRecord(1_000, "req_1", "127.0.0.1");
    private final ExchangeAccounting accounting = new ExchangeAccounting(metrics, limiter, caller, record,
            PriceBook.of(Map.of("m", new ModelConfig("m", "p", "m", null, ModelType.CHAT,
                    new Pricing(new BigDecimal("3"), new BigDecimal("15"), null, null, null)))));

    private double openStreams() {
        return ((GaugeSnapshot) metrics.registry().scrape().stream()
                .filter(snapshot -> snapshot.getMetadata().getName().equals("switchboard_active_streams"))
                .findFirst().orElseThrow()).getDataPoints().get(0).getValue();
    }

    private long firstTokenObservations() {
        return metrics.registry().scrape().stream()
                .filter(snapshot -> snapshot.getMetadata().getName().equals("switchboard_time_to_first_token_seconds"))
                .flatMap(snapshot -> ((HistogramSnapshot) snapshot).getDataPoints().stream())
                .mapToLong(HistogramSnapshot.HistogramDataPointSnapshot::getCount).sum();
    }

    @Test
    void aStreamIsCountedOpenUntilTheExchangeEnds() {
        accounting.streamOpened();
        assertThat(openStreams()).isEqualTo(1);

        accounting.ended(TARGET, 2);

        assertThat(openStreams()).isZero();
        assertThat(record.model()).isEqualTo("m");
        assertThat(record.attempts()).isEqualTo(2);
    }

    @Test
    void anAnswerThatNeverStreamedLeavesTheGaugeAlone() {
        accounting.ended(null, 0);

        assertThat(openStreams()).isZero();
        assertThat(record.model()).isEqualTo(GatewayMetrics.UNRESOLVED);
    }

    @Test
    void theFirstTokenIsObservedOnce() {
        accounting.firstToken(TARGET, 5_000);
        accounting.firstToken(TARGET, 9_000);

        assertThat(record.firstTokenAfterNanos()).isEqualTo(4_000);
        assertThat(firstTokenObservations()).isEqualTo(1);
    }

    @Test
    void usageGoesToTheRecordAndAgainstTheTokensBudget() {
        long picoUsd = accounting.usage(TARGET, new Usage(70, 40), false);

        assertThat(record.usage()).isEqualTo(new Usage(70, 40));
        assertThat(picoUsd).as("70 × 3 USD/M + 40 × 15 USD/M").isEqualTo(810_000_000L);
        assertThat(record.costPicoUsd()).isEqualTo(810_000_000L);
        assertThat(record.isUsageEstimated()).isFalse();
        Decision next = limiter.decide("alice", caller.limits());
        assertThat(next.allowed()).as("110 tokens of a 100-token budget").isFalse();
        assertThat(next.exhausted()).isEqualTo(Decision.Budget.TOKENS);
    }

    @Test
    void anEstimateIsChargedAndCountedAsAnyUsageButMarked() {
        long picoUsd = accounting.usage(TARGET, new Usage(60, 50), true);

        assertThat(picoUsd).as("60 × 3 USD/M + 50 × 15 USD/M").isEqualTo(930_000_000L);
        assertThat(record.costPicoUsd()).isEqualTo(930_000_000L);
        assertThat(record.isUsageEstimated()).isTrue();
        assertThat(limiter.decide("alice", caller.limits()).allowed()).as("110 estimated tokens of a 100-token budget")
                .isFalse();
    }
}
