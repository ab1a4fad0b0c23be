package dev.switchboard.ledger;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    /** The rows summed per row of {@code rollup}, in lock order. */
    static List<DailyTotal> of(List<LedgerRow> rows, Rollup rollup) {
        Map<Key, DailyTotal> totals = new TreeMap<>(Key.ORDER);
        for (LedgerRow row : rows) {
            List<String> values = new ArrayList<>(rollup.groups.size());
            for (UsageQuery.GroupBy group : rollup.groups) {
                values.add(switch (group) {
                    case TOKEN -> row.token();
                    case TEAM -> row.team() == null ? LedgerStore.NO_TEAM : row.team();
                    case MODEL -> row.model();
                    case PROVIDER -> row.provider();
                });
            }
            totals.computeIfAbsent(new Key(row.day(), values), DailyTotal::new).add(row);
        }
        return new ArrayList<>(totals.values());
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
