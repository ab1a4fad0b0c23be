package dev.switchboard.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.auth.Caller;
import dev.switchboard.config.BudgetConfig;
import dev.switchboard.config.BudgetPeriod;
import dev.switchboard.config.RedisConfig;
import dev.switchboard.config.TeamConfig;
import dev.switchboard.ledger.Database;
import dev.switchboard.ledger.LedgerMetrics;
import dev.switchboard.ledger.LedgerRow;
import dev.switchboard.ledger.LedgerWriter;
import dev.switchboard.ledger.TestDatabases;
import dev.switchboard.limits.Limits;
import dev.switchboard.state.RedisStore;
import dev.switchboard.state.SharedCounters;
import dev.switchboard.state.TestRedis;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.time.ExecutorScheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Budgets shared by two nodes through a real Redis (TestRedis) and one real PostgreSQL
 * (TestDatabases): the second node refuses as soon as the first has spent the budget, with no
 * reconciliation in between (the nodes here reconcile once an hour); counters Redis does not have
 * are seeded from the database; while Redis is away a node decides from memory, or refuses.
 */
class RedisBudgetsIT {
    static final BudgetConfig ONE_DOLLAR_A_DAY = new BudgetConfig(BigDecimal.ONE, BudgetPeriod.DAY);
    static final TeamConfig RESEARCH = new TeamConfig("research", null, null, null,
            new BudgetConfig(new BigDecimal("2"), BudgetPeriod.MONTH));
    /** Far longer than any test: whatever a node learns of another's spend, it learns through Redis. */
    static final Duration RARELY = Duration.ofHours(1);

    Database database;

    @BeforeEach
    void openDatabase() throws Exception {
        database = TestDatabases.postgres();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    /** One gateway node: its Redis store, shared counters, budgets and ledger writer, as the bootstrap wires them. */
    final class Node implements AutoCloseable {
        final ExecutorScheduler scheduler = new ExecutorScheduler();
        final GatewayMetrics metrics = new GatewayMetrics();
        final RedisStore store;
        final SharedCounters counters;
        final Budgets budgets;
        final LedgerWriter writer;
        /** Reconciliations done: the first, at start, seeds Redis; the next comes in an hour or when asked for. */
        final java.util.concurrent.atomic.AtomicInteger reconciled = new java.util.concurrent.atomic.AtomicInteger();

        Node(RedisConfig config, Caller... callers) {
            store = RedisStore.open(config, scheduler, metrics.store());
            counters = new SharedCounters(store, metrics.store(), Budgets.SHARED_USE);
            budgets = new Budgets(Clock.systemUTC(), counters);
            for (Caller caller : callers) {
                budgets.track(caller);
            }
            LedgerWriter.Listener counted = new LedgerWriter.Listener() {
                @Override
                public void written(List<LedgerRow> rows) {
                    budgets.written(rows);
                }

                @Override
                public void reconcile(dev.switchboard.ledger.LedgerStore store) throws java.sql.SQLException {
                    budgets.reconcile(store);
                    reconciled.incrementAndGet();
                }
            };
            writer = new LedgerWriter(database, 1_000, Duration.ofDays(90), RARELY, counted,
                    new LedgerMetrics(new PrometheusRegistry()), Clock.systemUTC()).start();
            budgets.seedThrough(writer);
        }

        BudgetRefusal check(Caller caller) throws Exception {
            return budgets.check(caller).toCompletableFuture().get(15, TimeUnit.SECONDS);
        }

        void spend(Caller caller, String usd) {
            LedgerRow row = row(caller, usd);
            budgets.spend(row);
            writer.offer(row);
        }

        /** What Redis holds for a budget's counter of today's period, in pico-dollars; MISSING when none. */
        long shared(Budgets.Owner owner, String name, BudgetPeriod period) throws Exception {
            String counter = Budgets.sharedName(owner, name, period, period.start(LocalDate.now(ZoneOffset.UTC)));
            return counters.read(List.of(counter)).toCompletableFuture().get(15, TimeUnit.SECONDS)[0];
        }

        double fallbacks() {
            return metrics.registry().scrape().stream()
                    .filter(s -> s.getMetadata().getName().equals("switchboard_redis_fallbacks"))
                    .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
                    .filter(point -> point.getLabels().get("use").equals(Budgets.SHARED_USE))
                    .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
        }

        @Override
        public void close() {
            writer.close();
            store.close();
            scheduler.close();
        }
    }

    static LedgerRow row(Caller caller, String usd) {
        return new LedgerRow(Instant.now(), "r", caller.name(), caller.team() == null ? null : caller.team().name(),
                "m", "m", "p", 10, 10, 0, 0, 0, new BigDecimal(usd), false, 200, 1, 5, 1);
    }

    static Caller token(String name, BudgetConfig budget, TeamConfig team) {
        return new Caller(name, null, Limits.NONE, false, team, budget, false);
    }

    /**
     * Five seconds per command: on a two-core machine shared with other builds (load average 20 seen) even
     * a one-second command timed out, and the node then rightly decides alone, which is not what most of
     * these tests look at.
     */
    static final long PATIENT_TIMEOUT_MS = 5_000;

    static RedisConfig config(String url) {
        return new RedisConfig(url, PATIENT_TIMEOUT_MS, RedisConfig.OnFailure.LOCAL, TestRedis.uniquePrefix());
    }

    /** Spend written to the database before the nodes start: Redis, empty, must be seeded with it. */
    void spentEarlierToday(Caller caller, String usd) throws Exception {
        Budgets alone = new Budgets(Clock.systemUTC());
        try (LedgerWriter writer = new LedgerWriter(database, 10, Duration.ofDays(90), RARELY, alone,
                new LedgerMetrics(new PrometheusRegistry()), Clock.systemUTC()).start()) {
            writer.offer(row(caller, usd));
            // Waited for here rather than left to the writer's bounded flush on close, which a loaded machine outlasts.
            eventually("the earlier row written", () -> writtenSpend(caller).compareTo(new BigDecimal(usd)) == 0);
        }
    }

    /**
     * Waits until every node is connected to Redis (a loaded machine can outlast the store's wait at
     * start, and a node then starts without it) and has seeded its counters (its first reconciliation,
     * or one it asked for on finding a counter missing).
     */
    static void started(Node... nodes) throws Exception {
        for (Node node : nodes) {
            eventually("connected to Redis", node.store::isUp);
            eventually("reconciled once", () -> node.reconciled.get() >= 1);
        }
    }

    static void eventually(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!holds(condition)) {
            assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * A look at Redis that timed out on a loaded machine, or at a table the writer has not created yet, is a
     * "not yet", not a failure: the next look decides.
     */
    private static boolean holds(Condition condition) throws Exception {
        try {
            return condition.holds();
        } catch (ExecutionException | java.util.concurrent.TimeoutException | java.sql.SQLException e) {
            return false;
        }
    }

    static long pico(String usd) {
        return new BigDecimal(usd).movePointRight(12).longValueExact();
    }

    @Test
    void theSecondNodeRefusesAsSoonAsTheFirstHasSpentTheBudget() throws Exception {
        Caller alice = token("alice", ONE_DOLLAR_A_DAY, null);
        spentEarlierToday(alice, "0.5");
        RedisConfig config = config(TestRedis.sharedUrl());
        try (Node first = new Node(config, alice); Node second = new Node(config, alice)) {
            started(first, second);
            eventually("the counter seeded from the database", () -> second.check(alice) == null
                    && second.shared(Budgets.Owner.TOKEN, "alice", BudgetPeriod.DAY) == pico("0.5"));
            double fallbacks = first.fallbacks() + second.fallbacks();

            first.spend(alice, "0.3");
            // The first addition may have to send its script in full (EVALSHA, then EVAL): wait for it once.
            eventually("the first addition", () -> second.shared(Budgets.Owner.TOKEN, "alice", BudgetPeriod.DAY)
                    == pico("0.8"));
            assertThat(second.check(alice)).isNull();

            first.spend(alice, "0.1999999");
            // From now on the script is known: the first node's check goes after its addition on its one
            // connection, so once the check is answered, Redis has the addition.
            assertThat(first.check(alice)).isNull();
            assertThat(second.check(alice)).as("a picodollar short of the budget").isNull();

            first.spend(alice, "0.0000001");
            assertThat(first.check(alice)).isNotNull();
            BudgetRefusal refusal = second.check(alice);
            assertThat(refusal).as("the second node refuses at once, an hour before it would reconcile").isNotNull();
            assertThat(refusal.message()).contains("token 'alice'").contains("day budget of $1").contains("($1 this");
            assertThat(first.fallbacks() + second.fallbacks()).as("all decided in Redis").isEqualTo(fallbacks);
        }
    }

    @Test
    void aTeamBudgetIsPooledAcrossNodesAndTokens() throws Exception {
        Caller ci = token("ci", null, RESEARCH);
        Caller dev = token("dev", ONE_DOLLAR_A_DAY, RESEARCH);
        RedisConfig config = config(TestRedis.sharedUrl());
        try (Node first = new Node(config, ci); Node second = new Node(config, dev)) {
            started(first, second);
            eventually("both counters seeded", () -> first.shared(Budgets.Owner.TEAM, "research", BudgetPeriod.MONTH) == 0
                    && second.shared(Budgets.Owner.TOKEN, "dev", BudgetPeriod.DAY) == 0);
            first.spend(ci, "1.5");
            eventually("the first addition", () -> second.shared(Budgets.Owner.TEAM, "research", BudgetPeriod.MONTH)
                    == pico("1.5"));
            assertThat(first.check(ci)).isNull();
            assertThat(second.check(dev)).isNull();
            second.spend(dev, "0.5");
            assertThat(second.check(dev).owner()).isEqualTo("team");
            BudgetRefusal refusal = first.check(ci);
            assertThat(refusal).as("ci's node learns of dev's spend on the other node through Redis").isNotNull();
            assertThat(refusal.message()).contains("team 'research'").contains("month budget of $2");
        }
    }

    @Test
    void aRedisThatLostItsCountersIsSeededFromTheDatabase() throws Exception {
        Caller alice = token("alice", ONE_DOLLAR_A_DAY, null);
        RedisConfig config = config(TestRedis.sharedUrl());
        try (Node first = new Node(config, alice); Node second = new Node(config, alice)) {
            started(first, second);
            eventually("the counter seeded", () -> first.check(alice) == null
                    && first.shared(Budgets.Owner.TOKEN, "alice", BudgetPeriod.DAY) == 0);
            int reconciled = second.reconciled.get();
            first.spend(alice, "0.7");
            first.spend(alice, "0.3");
            eventually("both additions", () -> second.shared(Budgets.Owner.TOKEN, "alice", BudgetPeriod.DAY) == pico("1"));
            assertThat(second.check(alice)).isNotNull();
            eventually("the rows written", () -> writtenSpend(alice).compareTo(BigDecimal.ONE) == 0);

            // Redis restarted with nothing on disk: the counter is gone.
            deleteCounter(first, alice);
            assertThat(second.shared(Budgets.Owner.TOKEN, "alice", BudgetPeriod.DAY)).isEqualTo(SharedCounters.MISSING);
            // Until it is seeded again the second node counts what it knows itself (nothing spent here, an hour
            // from its next reconciliation), and asks its writer to seed it now.
            assertThat(second.reconciled.get()).as("not reconciled since the spends").isEqualTo(reconciled);
            assertThat(second.check(alice)).isNull();
            eventually("the counter seeded again from the database",
                    () -> second.shared(Budgets.Owner.TOKEN, "alice", BudgetPeriod.DAY) == pico("1"));
            assertThat(second.reconciled.get()).as("a reconciliation asked for").isGreaterThan(reconciled);
            assertThat(second.check(alice)).isNotNull();
        }
    }

    @Test
    void whileRedisIsAwayANodeDecidesFromMemoryOrRefuses() throws Exception {
        Caller alice = token("alice", ONE_DOLLAR_A_DAY, null);
        try (TestRedis.Owned redis = TestRedis.own()) {
            RedisConfig local = config(redis.url());
            RedisConfig reject = new RedisConfig(redis.url(), PATIENT_TIMEOUT_MS, RedisConfig.OnFailure.REJECT,
                    local.keyPrefix());
            try (Node alone = new Node(local, alice); Node refusing = new Node(reject, alice)) {
                started(alone, refusing);
                eventually("the counter seeded", () -> alone.check(alice) == null
                        && alone.shared(Budgets.Owner.TOKEN, "alice", BudgetPeriod.DAY) == 0);
                redis.stop();
                alone.spend(alice, "0.6");
                assertThat(alone.check(alice)).as("counted in memory").isNull();
                alone.spend(alice, "0.4");
                assertThat(alone.check(alice)).as("refused from memory").isNotNull();
                assertThat(alone.fallbacks()).isGreaterThanOrEqualTo(2);

                assertThatThrownBy(() -> refusing.check(alice)).isInstanceOf(ExecutionException.class);
                assertThat(refusing.fallbacks()).isGreaterThanOrEqualTo(1);
            }
        }
    }

    /** alice (a dollar a day) in research (two dollars a month), as a configuration file would have them. */
    static final dev.switchboard.config.GatewayConfig ALICE_IN_RESEARCH = dev.switchboard.config.ConfigParser.parse("""
            {"providers": {"e": {"type": "echo"}}, "models": {"m": {"provider": "e"}},
             "teams": {"research": {"budget": {"usd": 2, "period": "month"}}},
             "tokens": [{"name": "alice", "token": "sb-test-alice", "team": "research",
                         "budget": {"usd": 1, "period": "day"}}]}
            """, java.util.Map.of(), "test");

    static Budgets.Standing standing(Budgets.Standings standings, String owner) {
        return standings.budgets().stream().filter(s -> s.owner().equals(owner)).findFirst().orElseThrow();
    }

    @Test
    void theBudgetsReportShowsWhatEveryNodeSpentFromRedis() throws Exception {
        Caller alice = token("alice", ONE_DOLLAR_A_DAY, RESEARCH);
        RedisConfig config = config(TestRedis.sharedUrl());
        try (Node first = new Node(config, alice); Node second = new Node(config, alice)) {
            started(first, second);
            eventually("both counters seeded", () -> second.shared(Budgets.Owner.TOKEN, "alice", BudgetPeriod.DAY) == 0
                    && second.shared(Budgets.Owner.TEAM, "research", BudgetPeriod.MONTH) == 0);
            first.spend(alice, "0.3");
            eventually("the addition", () -> second.shared(Budgets.Owner.TEAM, "research", BudgetPeriod.MONTH)
                    == pico("0.3"));

            Budgets.Standings standings = second.budgets.standings(ALICE_IN_RESEARCH).toCompletableFuture()
                    .get(15, TimeUnit.SECONDS);
            assertThat(standings.redis()).isEqualTo(Budgets.Shared.ANSWERED);
            for (String owner : List.of("token", "team")) {
                Budgets.Standing standing = standing(standings, owner);
                assertThat(standing.source()).isEqualTo(Budgets.Source.REDIS);
                assertThat(standing.spent()).as(owner + ": the first node's spend").isEqualByComparingTo("0.3");
            }
            assertThat(standing(standings, "team").periodStart()).isEqualTo(BudgetPeriod.MONTH.start(Instant.now()));
            assertThat(second.budgets.spent("token", "alice")).as("the second node's own figure, an hour from its"
                    + " next reconciliation").isZero();
        }
    }

    @Test
    void whileRedisIsAwayTheBudgetsReportSaysItHasTheNodesOwnFigures() throws Exception {
        Caller alice = token("alice", ONE_DOLLAR_A_DAY, RESEARCH);
        try (TestRedis.Owned redis = TestRedis.own(); Node node = new Node(config(redis.url()), alice)) {
            started(node);
            eventually("the counter seeded", () -> node.shared(Budgets.Owner.TOKEN, "alice", BudgetPeriod.DAY) == 0);
            redis.stop();
            node.spend(alice, "0.25");
            Budgets.Standings standings = node.budgets.standings(ALICE_IN_RESEARCH).toCompletableFuture()
                    .get(15, TimeUnit.SECONDS);
            assertThat(standings.redis()).isEqualTo(Budgets.Shared.UNAVAILABLE);
            assertThat(standing(standings, "token").source()).isEqualTo(Budgets.Source.NODE);
            assertThat(standing(standings, "token").spent()).isEqualByComparingTo("0.25");
        }
    }

    /** A counter that is not a whole number fails the read rather than leave a check waiting for ever. */
    @Test
    void aCounterThatIsNotANumberFailsTheReadAtOnce() throws Exception {
        Caller alice = token("alice", ONE_DOLLAR_A_DAY, RESEARCH);
        try (Node node = new Node(config(TestRedis.sharedUrl()), alice)) {
            started(node);
            String name = Budgets.sharedName(Budgets.Owner.TOKEN, "alice", BudgetPeriod.DAY, LocalDate.now(ZoneOffset.UTC));
            java.util.concurrent.CompletableFuture<String> set = new java.util.concurrent.CompletableFuture<>();
            node.store.execute(() -> node.store.commands().set(node.store.key(name),
                    "not a number".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).whenComplete((ok, error) -> {
                        if (error != null) {
                            set.completeExceptionally(error);
                        } else {
                            set.complete(ok);
                        }
                    }), () -> set.completeExceptionally(new IllegalStateException("store closed")));
            assertThat(set.get(15, TimeUnit.SECONDS)).isEqualTo("OK");
            assertThat(node.counters.read(List.of(name)).toCompletableFuture())
                    .failsWithin(Duration.ofSeconds(15)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(NumberFormatException.class);
            assertThat(node.check(alice)).as("decided from memory, not left waiting").isNull();
        }
    }

    private BigDecimal writtenSpend(Caller caller) throws Exception {
        try (var connection = database.connection(); var query = connection.prepareStatement(
                "SELECT COALESCE(SUM(cost_usd), 0) FROM ledger_daily WHERE token_name = ?")) {
            query.setString(1, caller.name());
            try (var result = query.executeQuery()) {
                result.next();
                return result.getBigDecimal(1);
            }
        }
    }

    private static void deleteCounter(Node node, Caller caller) throws Exception {
        String counter = node.store.key(Budgets.sharedName(Budgets.Owner.TOKEN, caller.name(), BudgetPeriod.DAY,
                LocalDate.now(ZoneOffset.UTC)));
        java.util.concurrent.CompletableFuture<Long> deleted = new java.util.concurrent.CompletableFuture<>();
        node.store.execute(() -> node.store.commands().del(counter).whenComplete((count, error) -> {
            if (error != null) {
                deleted.completeExceptionally(error);
            } else {
                deleted.complete(count);
            }
        }), () -> deleted.completeExceptionally(new IllegalStateException("store closed")));
        assertThat(deleted.get(15, TimeUnit.SECONDS)).isEqualTo(1);
    }
}
