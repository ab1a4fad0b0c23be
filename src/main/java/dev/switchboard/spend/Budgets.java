package dev.switchboard.spend;

import dev.switchboard.auth.Caller;
import dev.switchboard.config.BudgetConfig;
import dev.switchboard.config.BudgetPeriod;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.RedisConfig;
import dev.switchboard.config.TeamConfig;
import dev.switchboard.config.TokenConfig;
import dev.switchboard.ledger.LedgerRow;
import dev.switchboard.ledger.LedgerStore;
import dev.switchboard.ledger.LedgerWriter;
import dev.switchboard.state.SharedCounters;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The budgets of tokens and teams (docs/spend.md#budgets). Each budgeted token and team has its
 * period's spend in memory: a request is checked against it with no database round trip and
 * adds its cost when it ends. The ledger's thread seeds the figures from the daily rollups once
 * the database answers, and reconciles them with it every few seconds, which is how the spend of
 * other nodes reaches this one.
 *
 * <p>With Redis ({@link SharedCounters}), the period's spend is also one counter per budget that
 * every node adds to when a request ends and reads when one arrives, so a budget holds across
 * nodes as on one (docs/spend.md#across-nodes-through-redis); the in-memory figures stay, for
 * counters Redis does not have yet (they are seeded from the database on the ledger's thread) and
 * for while Redis does not answer ({@code onFailure} {@code local}). Shared; thread-safe.
 */
public final class Budgets implements LedgerWriter.Listener {
    /** Whose budget. */
    enum Owner {
        TOKEN("token"),
        TEAM("team");

        final String label;

        Owner(String label) {
            this.label = label;
        }
    }

    private record Key(Owner owner, String name) {
    }

    /** One budget a request is checked against, with its counter in memory. */
    private record Held(Owner owner, String name, BudgetConfig budget, BudgetCounter counter) {
    }

    /** The label of this use of Redis in {@code switchboard_redis_fallbacks_total}. */
    public static final String SHARED_USE = "budgets";
    /** Kept in Redis a day past its period's end: a node whose clock is a little behind still finds it. */
    static final Duration SHARED_GRACE = Duration.ofDays(1);
    private static final CompletionStage<BudgetRefusal> NOTHING_SPENT = CompletableFuture.completedFuture(null);

    private final Clock clock;
    private final Map<Key, BudgetCounter> counters = new ConcurrentHashMap<>();
    /** The counters every node shares, or null without Redis. */
    private final SharedCounters shared;
    /** Asks the ledger's thread to reconcile (and so seed missing shared counters) soon. */
    private volatile Runnable reconcileSoon = () -> { };

    public Budgets(Clock clock) {
        this(clock, null);
    }

    /** @param shared the counters shared through Redis, or null to count in memory only */
    public Budgets(Clock clock, SharedCounters shared) {
        this.clock = clock;
        this.shared = shared;
    }

    /** Missing shared counters are seeded by {@code writer}'s next reconciliation, asked for as soon as one is missed. */
    public void seedThrough(LedgerWriter writer) {
        reconcileSoon = writer::reconcileSoon;
    }

    /**
     * Why the caller may not spend now, or null when neither its budget nor its team's is spent.
     * Completes at once from memory, or with Redis on its client's thread within its timeout;
     * while Redis does not answer, from memory ({@code onFailure} {@code local}) or failing with
     * the store's error ({@code reject}). Nothing waits for it.
     */
    public CompletionStage<BudgetRefusal> check(Caller caller) {
        List<Held> held = held(caller);
        if (held.isEmpty()) {
            return NOTHING_SPENT;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (shared == null) {
            return CompletableFuture.completedFuture(decide(held, null, today));
        }
        if (!shared.isUp()) {
            return alone(held, today, null);
        }
        return shared.read(sharedNames(held, today)).thenApply(values -> decide(held, values, today))
                .exceptionallyCompose(error -> alone(held, today, error));
    }

    /** The caller's budgets, its own first. */
    private List<Held> held(Caller caller) {
        BudgetConfig own = caller.budget();
        BudgetConfig team = caller.team() == null ? null : caller.team().budget();
        if (own == null && team == null) {
            return List.of();
        }
        List<Held> held = new ArrayList<>(2);
        if (own != null) {
            held.add(held(Owner.TOKEN, caller.name(), own));
        }
        if (team != null) {
            held.add(held(Owner.TEAM, caller.team().name(), team));
        }
        return held;
    }

    private Held held(Owner owner, String name, BudgetConfig budget) {
        return new Held(owner, name, budget, counter(owner, name, budget));
    }

    /** The names of {@code held}'s shared counters for their current periods, in the same order. */
    private static List<String> sharedNames(List<Held> held, LocalDate today) {
        List<String> names = new ArrayList<>(held.size());
        for (Held budget : held) {
            names.add(sharedName(budget.owner(), budget.name(), budget.budget().period(), budget.counter().start(today)));
        }
        return names;
    }

    /** Decides without Redis: from memory, or refusing when so configured. */
    private CompletionStage<BudgetRefusal> alone(List<Held> held, LocalDate today, Throwable error) {
        shared.fellBack();
        if (shared.onFailure() == RedisConfig.OnFailure.REJECT) {
            return CompletableFuture.failedFuture(error != null ? error : new IllegalStateException("Redis does not answer"));
        }
        return CompletableFuture.completedFuture(decide(held, null, today));
    }

    /**
     * The first spent budget of {@code held}, or null.
     *
     * @param sharedValues what Redis holds for each, {@link SharedCounters#MISSING} for a counter not
     *     seeded yet (then this node's own figure counts, and the seeding is asked for); null without Redis
     */
    private BudgetRefusal decide(List<Held> held, long[] sharedValues, LocalDate today) {
        for (int i = 0; i < held.size(); i++) {
            Held budget = held.get(i);
            long spent;
            if (sharedValues == null || sharedValues[i] == SharedCounters.MISSING) {
                spent = budget.counter().spent(today);
                if (sharedValues != null) {
                    reconcileSoon.run();
                }
            } else {
                spent = sharedValues[i];
            }
            if (spent >= pico(budget.budget().usd())) {
                return new BudgetRefusal(budget.owner().label, budget.name(), budget.budget(), usd(spent),
                        budget.budget().period().reset(budget.counter().start(today)));
            }
        }
        return null;
    }

    /**
     * The name of a budget's shared counter for the period starting on {@code start}, under the
     * store's prefix: {@code budget:<token|team>:<name>:<period>:<first day>}. The period is in the
     * name, so that a new period (or a budget whose period changed) is a new counter.
     */
    static String sharedName(Owner owner, String name, BudgetPeriod period, LocalDate start) {
        return "budget:" + owner.label + ":" + name + ":" + period.configName() + ":" + start;
    }

    private BudgetCounter counter(Owner owner, String name, BudgetConfig budget) {
        Key key = new Key(owner, name);
        BudgetCounter counter = counters.get(key);
        if (counter == null || counter.period() != budget.period()) {
            // A new budget, or one whose period changed on reload: counted afresh, seeded at the next reconciliation.
            BudgetCounter fresh = new BudgetCounter(budget.period(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
            counter = counter == null ? counters.computeIfAbsent(key, k -> fresh) : replace(key, counter, fresh);
        }
        return counter;
    }

    private BudgetCounter replace(Key key, BudgetCounter old, BudgetCounter fresh) {
        counters.replace(key, old, fresh);
        return counters.get(key);
    }

    /** Where the spend a {@link Standing} reports was counted. */
    public enum Source {
        /** The budget's counter in Redis, which every node adds to. */
        REDIS("redis"),
        /** This node's own figure: the database at its last reconciliation plus what this node spent since. */
        NODE("node");

        public final String label;

        Source(String label) {
            this.label = label;
        }
    }

    /** Whether the budgets endpoint's figures came through Redis (docs/spend.md#budgets-endpoint). */
    public enum Shared {
        /** No {@code redis} section: every figure is this node's. */
        NOT_CONFIGURED(null),
        /** Redis answered: each counter it has is reported, every node's spend. */
        ANSWERED("answered"),
        /** Redis did not answer in time, or is known to be down: every figure is this node's. */
        UNAVAILABLE("unavailable");

        /** How the answer says it; null without Redis. */
        public final String label;

        Shared(String label) {
            this.label = label;
        }
    }

    /** One budget's current period as reported: its spend so far and where that was counted. Immutable. */
    public record Standing(String owner, String name, BudgetConfig budget, LocalDate periodStart, BigDecimal spent,
                           Source source) {
    }

    /** Every budget's standing, and how Redis answered. Immutable. */
    public record Standings(List<Standing> budgets, Shared redis) {
        public Standings {
            budgets = List.copyOf(budgets);
        }
    }

    /**
     * Every budget of {@code config} with its current period's spend: with Redis, the shared
     * counters the budget checks read (one {@code MGET}, on the Redis client's thread, failing
     * after {@code redis.timeoutMs} as a check does); this node's figures for a counter Redis does
     * not have yet, and for all of them without Redis or while it does not answer. Never fails and
     * never blocks its caller.
     */
    public CompletionStage<Standings> standings(GatewayConfig config) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<Held> held = new ArrayList<>();
        for (TokenConfig token : config.tokens()) {
            if (token.budget() != null) {
                held.add(held(Owner.TOKEN, token.name(), token.budget()));
            }
        }
        for (TeamConfig team : config.teams().values()) {
            if (team.budget() != null) {
                held.add(held(Owner.TEAM, team.name(), team.budget()));
            }
        }
        if (shared == null) {
            return CompletableFuture.completedFuture(standings(held, null, today, Shared.NOT_CONFIGURED));
        }
        if (held.isEmpty() || !shared.isUp()) {
            return CompletableFuture.completedFuture(standings(held, null, today,
                    shared.isUp() ? Shared.ANSWERED : Shared.UNAVAILABLE));
        }
        return shared.read(sharedNames(held, today)).thenApply(values -> standings(held, values, today, Shared.ANSWERED))
                .exceptionally(error -> standings(held, null, today, Shared.UNAVAILABLE));
    }

    /** @param sharedValues what Redis holds for each budget ({@link SharedCounters#MISSING} when not seeded), or null */
    private Standings standings(List<Held> held, long[] sharedValues, LocalDate today, Shared redis) {
        List<Standing> standings = new ArrayList<>(held.size());
        for (int i = 0; i < held.size(); i++) {
            Held budget = held.get(i);
            boolean fromRedis = sharedValues != null && sharedValues[i] != SharedCounters.MISSING;
            if (sharedValues != null && !fromRedis) {
                reconcileSoon.run();
            }
            long spent = fromRedis ? sharedValues[i] : budget.counter().spent(today);
            standings.add(new Standing(budget.owner().label, budget.name(), budget.budget(), budget.counter().start(today),
                    usd(spent), fromRedis ? Source.REDIS : Source.NODE));
        }
        return new Standings(standings, redis);
    }

    /** What the period of a token's or team's budget has spent so far, as this node knows it; 0 without a counter. */
    public BigDecimal spent(String owner, String name) {
        BudgetCounter counter = counters.get(new Key(owner.equals("team") ? Owner.TEAM : Owner.TOKEN, name));
        return counter == null ? BigDecimal.ZERO : usd(counter.spent(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
    }

    /** US dollars in pico-dollars, the unit of the counters: exact for every price per million tokens. */
    static long pico(BigDecimal usd) {
        return usd.movePointRight(12).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    static BigDecimal usd(long pico) {
        return BigDecimal.valueOf(pico, 12).stripTrailingZeros();
    }

    /**
     * A request ended and spent what its row says; called before the row is queued. Never blocks:
     * with Redis, the shared counters are added to on its client's thread (only those that exist:
     * a missing one is seeded from the database, which will hold this row).
     */
    public void spend(LedgerRow row) {
        long usd = pico(row.costUsd());
        if (usd <= 0) {
            return;
        }
        List<String> names = shared == null ? null : new ArrayList<>(2);
        spend(Owner.TOKEN, row.token(), row, usd, names);
        if (row.team() != null) {
            spend(Owner.TEAM, row.team(), row, usd, names);
        }
        if (names != null && !names.isEmpty()) {
            if (!shared.isUp()) {
                shared.fellBack();
                return;
            }
            shared.add(names, usd).exceptionally(error -> {
                // Counted in memory above; the seeding after the outage reads it from the database.
                shared.fellBack();
                return null;
            });
        }
    }

    private void spend(Owner owner, String name, LedgerRow row, long usd, List<String> sharedNames) {
        BudgetCounter counter = counters.get(new Key(owner, name));
        if (counter == null) {
            return;
        }
        counter.spend(row.day(), usd);
        LocalDate start = counter.start(row.day());
        if (sharedNames != null && counter.period().start(row.day()).equals(start)) {
            sharedNames.add(sharedName(owner, name, counter.period(), start));
        }
    }

    @Override
    public void written(List<LedgerRow> rows) {
        for (LedgerRow row : rows) {
            long usd = pico(row.costUsd());
            if (usd <= 0) {
                continue;
            }
            BudgetCounter token = counters.get(new Key(Owner.TOKEN, row.token()));
            if (token != null) {
                token.written(row.day(), usd);
            }
            BudgetCounter team = row.team() == null ? null : counters.get(new Key(Owner.TEAM, row.team()));
            if (team != null) {
                team.written(row.day(), usd);
            }
        }
    }

    @Override
    public void reconcile(LedgerStore store) throws SQLException {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (Map.Entry<Key, BudgetCounter> entry : counters.entrySet()) {
            BudgetCounter counter = entry.getValue();
            LocalDate start = counter.start(today);
            String name = entry.getKey().name();
            long usd = pico(entry.getKey().owner() == Owner.TOKEN ? store.tokenSpend(name, start)
                    : store.teamSpend(name, start));
            counter.reconciled(start, usd);
            if (shared != null && shared.isUp()) {
                seed(entry.getKey(), counter, start);
            }
        }
    }

    /**
     * Seeds a budget's shared counter, when Redis does not have it, with what the database holds
     * plus what this node spent that is not written yet (docs/spend.md#across-nodes-through-redis);
     * one command per budget per reconciliation, a no-op when the counter exists.
     */
    private void seed(Key key, BudgetCounter counter, LocalDate start) {
        Instant reset = counter.period().reset(start);
        shared.seed(sharedName(key.owner(), key.name(), counter.period(), start), counter.spent(start),
                reset == null ? null : reset.plus(SHARED_GRACE)).exceptionally(error -> false);
    }

    /** Counts every budget of a configuration from now on, so that the next reconciliation seeds them all. */
    public void trackAll(GatewayConfig config) {
        for (TokenConfig token : config.tokens()) {
            if (token.budget() != null) {
                counter(Owner.TOKEN, token.name(), token.budget());
            }
        }
        for (TeamConfig team : config.teams().values()) {
            if (team.budget() != null) {
                counter(Owner.TEAM, team.name(), team.budget());
            }
        }
    }

    /** Counts {@code caller}'s budgets from now on, so that the next reconciliation seeds them. */
    public void track(Caller caller) {
        if (caller.budget() != null) {
            counter(Owner.TOKEN, caller.name(), caller.budget());
        }
        if (caller.team() != null && caller.team().budget() != null) {
            counter(Owner.TEAM, caller.team().name(), caller.team().budget());
        }
    }
}
