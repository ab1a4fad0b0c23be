package dev.switchboard.spend;

import dev.switchboard.auth.Caller;
import dev.switchboard.config.BudgetConfig;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.TeamConfig;
import dev.switchboard.config.TokenConfig;
import dev.switchboard.ledger.LedgerRow;
import dev.switchboard.ledger.LedgerStore;
import dev.switchboard.ledger.LedgerWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The budgets of tokens and teams (docs/spend.md#budgets). Each budgeted token and team has its
 * period's spend in memory: a request is checked against it with no database round trip and
 * adds its cost when it ends. The ledger's thread seeds the figures from the daily rollups once
 * the database answers, and reconciles them with it every few seconds, which is how the spend of
 * other nodes reaches this one. Shared; thread-safe.
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

    private final Clock clock;
    private final Map<Key, BudgetCounter> counters = new ConcurrentHashMap<>();

    public Budgets(Clock clock) {
        this.clock = clock;
    }

    /** Why the caller may not spend now, or null when neither its budget nor its team's is spent. */
    public BudgetRefusal check(Caller caller) {
        Instant now = clock.instant();
        BudgetRefusal refusal = check(Owner.TOKEN, caller.name(), caller.budget(), now);
        if (refusal == null && caller.team() != null) {
            refusal = check(Owner.TEAM, caller.team().name(), caller.team().budget(), now);
        }
        return refusal;
    }

    private BudgetRefusal check(Owner owner, String name, BudgetConfig budget, Instant now) {
        if (budget == null) {
            return null;
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        BudgetCounter counter = counter(owner, name, budget);
        long spent = counter.spent(today);
        if (spent < pico(budget.usd())) {
            return null;
        }
        return new BudgetRefusal(owner.label, name, budget, usd(spent), budget.period().reset(counter.start(today)));
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

    /** A request ended and spent what its row says; called before the row is queued. Never blocks. */
    public void spend(LedgerRow row) {
        long usd = pico(row.costUsd());
        if (usd <= 0) {
            return;
        }
        BudgetCounter token = counters.get(new Key(Owner.TOKEN, row.token()));
        if (token != null) {
            token.spend(row.day(), usd);
        }
        if (row.team() != null) {
            BudgetCounter team = counters.get(new Key(Owner.TEAM, row.team()));
            if (team != null) {
                team.spend(row.day(), usd);
            }
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
        }
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
