package dev.switchboard.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.Caller;
import dev.switchboard.config.BudgetConfig;
import dev.switchboard.config.BudgetPeriod;
import dev.switchboard.config.TeamConfig;
import dev.switchboard.ledger.Database;
import dev.switchboard.ledger.LedgerMetrics;
import dev.switchboard.ledger.LedgerRow;
import dev.switchboard.ledger.LedgerWriter;
import dev.switchboard.limits.Limits;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Budgets on a real database: refused exactly when spent, across a restart, across two nodes
 * sharing one database, and a team's budget pooled across its tokens.
 */
abstract class BudgetsContract {
    static final BudgetConfig ONE_DOLLAR_A_DAY = new BudgetConfig(BigDecimal.ONE, BudgetPeriod.DAY);
    static final TeamConfig RESEARCH = new TeamConfig("research", null, null, null,
            new BudgetConfig(new BigDecimal("2"), BudgetPeriod.MONTH));

    Database database;

    abstract Database open() throws Exception;

    @BeforeEach
    void openDatabase() throws Exception {
        database = open();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    /** One gateway node's budgets and ledger writer on the shared database. */
    final class Node implements AutoCloseable {
        final Budgets budgets = new Budgets(Clock.systemUTC());
        final LedgerWriter writer;

        Node(Caller... callers) {
            for (Caller caller : callers) {
                budgets.track(caller);
            }
            writer = new LedgerWriter(database, 1_000, Duration.ofDays(90), Duration.ofMillis(50), budgets,
                    new LedgerMetrics(new PrometheusRegistry()), Clock.systemUTC()).start();
        }

        /** Why {@code caller} is refused now, or null. */
        BudgetRefusal check(Caller caller) {
            return budgets.check(caller).toCompletableFuture().join();
        }

        /** A request of {@code caller} ended having spent {@code usd}, as the access-log filter reports it. */
        void spend(Caller caller, String usd) {
            LedgerRow row = new LedgerRow(Instant.now(), "r", caller.name(),
                    caller.team() == null ? null : caller.team().name(), "m", "m", "p", 10, 10, 0, 0, 0,
                    new BigDecimal(usd), false, 200, 1, 5, 1);
            budgets.spend(row);
            writer.offer(row);
        }

        @Override
        public void close() {
            writer.close();
        }
    }

    static Caller token(String name, BudgetConfig budget, TeamConfig team) {
        return new Caller(name, null, Limits.NONE, false, team, budget, false);
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aBudgetRefusesExactlyWhenSpent() throws Exception {
        Caller alice = token("alice", ONE_DOLLAR_A_DAY, null);
        try (Node node = new Node(alice)) {
            assertThat(node.check(alice)).isNull();
            node.spend(alice, "0.6");
            node.spend(alice, "0.3999999");
            // Counted in memory at once, before the writer has written anything.
            assertThat(node.check(alice)).isNull();
            node.spend(alice, "0.0000001");
            BudgetRefusal refusal = node.check(alice);
            assertThat(refusal).isNotNull();
            assertThat(refusal.message()).contains("token 'alice'").contains("day budget of $1")
                    .contains("resets at " + BudgetPeriod.DAY.reset(BudgetPeriod.DAY.start(Instant.now())));
            // Still refused once the rows are written and reconciled: nothing counted twice or lost.
            Thread.sleep(300);
            assertThat(node.budgets.spent("token", "alice")).isEqualByComparingTo("1");
            assertThat(node.check(alice)).isNotNull();
        }
    }

    @Test
    void aRestartInTheMiddleOfThePeriodLosesNothing() throws Exception {
        Caller alice = token("alice", ONE_DOLLAR_A_DAY, null);
        try (Node before = new Node(alice)) {
            before.spend(alice, "0.7");
            before.spend(alice, "0.3");
        }
        try (Node after = new Node(alice)) {
            eventually(() -> after.check(alice) != null);
            assertThat(after.budgets.spent("token", "alice")).isEqualByComparingTo("1");
        }
    }

    @Test
    void twoNodesShareOneBudget() throws Exception {
        Caller alice = token("alice", ONE_DOLLAR_A_DAY, null);
        try (Node first = new Node(alice); Node second = new Node(alice)) {
            first.spend(alice, "0.6");
            assertThat(second.check(alice)).isNull();
            second.spend(alice, "0.6");
            // Each node alone has spent less than the budget; together they have spent it.
            eventually(() -> first.check(alice) != null && second.check(alice) != null);
            assertThat(first.budgets.spent("token", "alice")).isEqualByComparingTo("1.2");
        }
    }

    @Test
    void aTeamBudgetIsPooledAcrossItsTokens() throws Exception {
        Caller ci = token("ci", null, RESEARCH);
        Caller dev = token("dev", ONE_DOLLAR_A_DAY, RESEARCH);
        try (Node node = new Node(ci, dev)) {
            node.spend(ci, "1.5");
            assertThat(node.check(dev)).isNull();
            node.spend(dev, "0.5");
            BudgetRefusal refusal = node.check(ci);
            assertThat(refusal).isNotNull();
            assertThat(refusal.message()).contains("team 'research'").contains("month budget of $2");
            assertThat(node.check(dev).owner()).isEqualTo("team");
        }
    }
}
