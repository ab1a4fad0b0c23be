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
 * A batch's addition to one daily rollup row. Per batch.
 */
final class DailyTotal {
    /**
     * The rollup row's key. Batches add to their rows in this order, so that two nodes writing at
     * once take the rows' locks in one order and never deadlock.
     */
    record Key(LocalDate day, String token, String team, String model, String provider) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::day).thenComparing(Key::token)
                .thenComparing(Key::team).thenComparing(Key::model).thenComparing(Key::provider);
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

    /** The rows summed per rollup row, in lock order. */
    static List<DailyTotal> of(List<LedgerRow> rows) {
        Map<Key, DailyTotal> totals = new TreeMap<>(Key.ORDER);
        for (LedgerRow row : rows) {
            Key key = new Key(row.day(), row.token(), row.team() == null ? LedgerStore.NO_TEAM : row.team(),
                    row.model(), row.provider());
            totals.computeIfAbsent(key, DailyTotal::new).add(row);
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

    /** Binds the parameters of {@link Dialect#addToDaily}. */
    void bind(PreparedStatement add) throws SQLException {
        add.setDate(1, Date.valueOf(key.day()));
        add.setString(2, key.token());
        add.setString(3, key.team());
        add.setString(4, key.model());
        add.setString(5, key.provider());
        add.setLong(6, requests);
        add.setLong(7, inputTokens);
        add.setLong(8, outputTokens);
        add.setLong(9, cachedTokens);
        add.setLong(10, cacheWriteTokens);
        add.setLong(11, reasoningTokens);
        add.setBigDecimal(12, costUsd);
        add.setLong(13, estimated);
    }
}
