package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.ledger.LedgerRow;
import dev.switchboard.ledger.LedgerWriter;
import dev.switchboard.limits.LocalRateLimiter;
import dev.switchboard.llm.Usage;
import dev.switchboard.routing.Target;
import dev.switchboard.spend.Budgets;
import dev.switchboard.spend.PriceBook;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.telemetry.RequestRecord;
import dev.switchboard.telemetry.Usd;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Accounting's work on the request path for one non-streaming request, as the bench's token makes
 * it (a priced model, no team, no budget): the cost of the reported usage with the tokens counted
 * against the caller's per-minute limit ({@link ExchangeAccounting#usage}), the cost header's
 * value, the token and cost metrics, the ledger row, the budgets' in-memory spend and the hand-off
 * to the writer's queue (taken back at once: the writer's side is the bench's "ledger threads"
 * figure). Issue 15's "under 30 µs per request" is this plus the writer's CPU per row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class AccountingBenchmark {
    private static final String MODEL = "gpt-4o-mini";
    private static final Target TARGET = new Target(new ModelConfig(MODEL, "mock-openai", MODEL, null),
            ProviderConfig.of("mock-openai", ProviderType.OPENAI, URI.create("http://127.0.0.1:1/v1"), "mock-key", Map.of()), null);
    private static final Usage USAGE = new Usage(19, 9);

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final LocalRateLimiter limiter = new LocalRateLimiter();
    private final Caller caller = new Caller("bench", null);
    private final PriceBook prices = PriceBook.of(Map.of(MODEL, TARGET.model()));
    private final Budgets budgets = new Budgets(Clock.systemUTC());
    private final BlockingQueue<LedgerRow> queue = new ArrayBlockingQueue<>(LedgerWriter.DEFAULT_CAPACITY);

    @Benchmark
    public void nonStreaming(Blackhole blackhole) {
        RequestRecord record = new RequestRecord(System.nanoTime(), "req_0123456789abcdef", "127.0.0.1");
        record.token(caller.name());
        record.requestedModel(MODEL);
        ExchangeAccounting accounting = new ExchangeAccounting(metrics, limiter, caller, record, prices);
        long picoUsd = accounting.usage(TARGET, USAGE, false);
        blackhole.consume(Usd.format(picoUsd));
        accounting.ended(TARGET, 1);
        // AccessLogFilter.count's share
        metrics.tokens(record.model(), record.tokenName(), record.usage().promptTokens(), record.usage().completionTokens());
        metrics.cost(record.tokenName(), record.teamName(), record.model(), record.costPicoUsd());
        LedgerRow row = LedgerRows.of(record, caller, 200, System.nanoTime(), Instant.now(),
                BigDecimal.valueOf(record.costPicoUsd(), 12), record.isUsageEstimated());
        budgets.spend(row);
        queue.offer(row);
        blackhole.consume(queue.poll());
    }
}
