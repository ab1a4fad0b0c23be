package dev.switchboard.ledger;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A batch's addition to one row of a daily rollup ({@link Rollup}). Per batch.
 */
final class DailyTotal {
    /**
     * The rollup row's key: its day and the values of its rollup's groups, in key order. Batches
     * add to their rows in this order, so that two nodes writing at once take the rows' locks in
     * one order and never deadlock.
     */
    record Key(LocalDate day, List<String> values) {
        static final Comparator<Key> ORDER = (a, b) -> {
            int order = a.day.compareTo(b.day);
            for (int i = 0; order == 0 && i < a.values.size(); i++) {
                order = a.values.get(i).compareTo(b.values.get(i));
            }
            return order;
        };
    }

    private final Key key;
    private long requests;
    private long inputTokens;
    private long outputTokens;
    private long cachedTokens;
    private long cacheWriteTokens;
    private long reasoningTokens;
    private BigDecimal costUsd = BigDecimal.ZERO;
    private long estimated;

    private DailyTotal(Key key) {
        this.key = key;
    }

    /**
     * The rows summed per row of every {@link Rollup}, each rollup's in lock order. The rows are
     * grouped once, by the full key; the narrower rollups are summed from those groups, a handful
     * per batch, rather than from the rows again.
     */
    static Map<Rollup, List<DailyTotal>> of(List<LedgerRow> rows) {
        Map<Key, DailyTotal> full = new TreeMap<>(Key.ORDER);
        for (LedgerRow row : rows) {
            full.computeIfAbsent(new Key(row.day(), values(Rollup.FULL, group -> switch (group) {
                case TOKEN -> row.token();
                case TEAM -> row.team() == null ? LedgerStore.NO_TEAM : row.team();
                case MODEL -> row.model();
                case PROVIDER -> row.provider();
            })), DailyTotal::new).add(row);
        }
        Map<Rollup, List<DailyTotal>> totals = new EnumMap<>(Rollup.class);
        totals.put(Rollup.FULL, new ArrayList<>(full.values()));
        for (Rollup rollup : Rollup.values()) {
            if (rollup == Rollup.FULL) {
                continue;
            }
            Map<Key, DailyTotal> narrow = new TreeMap<>(Key.ORDER);
            for (DailyTotal total : full.values()) {
                List<String> fullValues = total.key.values;
                narrow.computeIfAbsent(new Key(total.key.day, values(rollup,
                        group -> fullValues.get(Rollup.FULL.groups.indexOf(group)))), DailyTotal::new).add(total);
            }
            totals.put(rollup, new ArrayList<>(narrow.values()));
        }
        return totals;
    }

    /** The values of {@code rollup}'s groups, in its key order. */
    private static List<String> values(Rollup rollup, Function<UsageQuery.GroupBy, String> value) {
        String[] values = new String[rollup.groups.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(rollup.groups.get(i));
        }
        return Arrays.asList(values);
    }

    /** Adds a group of a wider rollup's rows. */
    private void add(DailyTotal other) {
        requests += other.requests;
        inputTokens += other.inputTokens;
        outputTokens += other.outputTokens;
        cachedTokens += other.cachedTokens;
        cacheWriteTokens += other.cacheWriteTokens;
        reasoningTokens += other.reasoningTokens;
        costUsd = costUsd.add(other.costUsd);
        estimated += other.estimated;
    }

    private void add(LedgerRow row) {
        requests++;
        inputTokens += row.inputTokens();
        outputTokens += row.outputTokens();
        cachedTokens += row.cachedTokens();
        cacheWriteTokens += row.cacheWriteTokens();
        reasoningTokens += row.reasoningTokens();
        costUsd = costUsd.add(row.costUsd());
        estimated += row.estimated() ? 1 : 0;
    }

    /** Binds the parameters of {@link Dialect#addTo}: the key's columns, then {@link Rollup#MEASURES}. */
    void bind(PreparedStatement add) throws SQLException {
        int parameter = 1;
        add.setDate(parameter++, Date.valueOf(key.day()));
        for (String value : key.values()) {
            add.setString(parameter++, value);
        }
        add.setLong(parameter++, requests);
        add.setLong(parameter++, inputTokens);
        add.setLong(parameter++, outputTokens);
        add.setLong(parameter++, cachedTokens);
        add.setLong(parameter++, cacheWriteTokens);
        add.setLong(parameter++, reasoningTokens);
        add.setBigDecimal(parameter++, costUsd);
        add.setLong(parameter, estimated);
    }
}
