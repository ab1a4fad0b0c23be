package dev.switchboard.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What differs between the databases the ledger runs on: only how a daily rollup row is added
 * to. PostgreSQL has {@code INSERT … ON CONFLICT DO UPDATE} (from 9.5, atomic under concurrent
 * writers of several nodes); H2 has the SQL standard's {@code MERGE … USING}. Stateless.
 */
enum Dialect {
    POSTGRESQL("""
            INSERT INTO ledger_daily (usage_day, token_name, team, model, provider, requests, input_tokens, output_tokens,
                cached_tokens, cache_write_tokens, reasoning_tokens, cost_usd, estimated_requests)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (usage_day, token_name, team, model, provider) DO UPDATE SET
                requests = ledger_daily.requests + EXCLUDED.requests,
                input_tokens = ledger_daily.input_tokens + EXCLUDED.input_tokens,
                output_tokens = ledger_daily.output_tokens + EXCLUDED.output_tokens,
                cached_tokens = ledger_daily.cached_tokens + EXCLUDED.cached_tokens,
                cache_write_tokens = ledger_daily.cache_write_tokens + EXCLUDED.cache_write_tokens,
                reasoning_tokens = ledger_daily.reasoning_tokens + EXCLUDED.reasoning_tokens,
                cost_usd = ledger_daily.cost_usd + EXCLUDED.cost_usd,
                estimated_requests = ledger_daily.estimated_requests + EXCLUDED.estimated_requests"""),
    H2("""
            MERGE INTO ledger_daily d
            USING (VALUES (CAST(? AS DATE), CAST(? AS VARCHAR(256)), CAST(? AS VARCHAR(256)), CAST(? AS VARCHAR(256)),
                    CAST(? AS VARCHAR(256)), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),
                    CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS NUMERIC(24, 12)), CAST(? AS BIGINT)))
                AS s (usage_day, token_name, team, model, provider, requests, input_tokens, output_tokens, cached_tokens,
                    cache_write_tokens, reasoning_tokens, cost_usd, estimated_requests)
            ON d.usage_day = s.usage_day AND d.token_name = s.token_name AND d.team = s.team AND d.model = s.model
                AND d.provider = s.provider
            WHEN MATCHED THEN UPDATE SET
                requests = d.requests + s.requests,
                input_tokens = d.input_tokens + s.input_tokens,
                output_tokens = d.output_tokens + s.output_tokens,
                cached_tokens = d.cached_tokens + s.cached_tokens,
                cache_write_tokens = d.cache_write_tokens + s.cache_write_tokens,
                reasoning_tokens = d.reasoning_tokens + s.reasoning_tokens,
                cost_usd = d.cost_usd + s.cost_usd,
                estimated_requests = d.estimated_requests + s.estimated_requests
            WHEN NOT MATCHED THEN INSERT (usage_day, token_name, team, model, provider, requests, input_tokens,
                output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, cost_usd, estimated_requests)
            VALUES (s.usage_day, s.token_name, s.team, s.model, s.provider, s.requests, s.input_tokens, s.output_tokens,
                s.cached_tokens, s.cache_write_tokens, s.reasoning_tokens, s.cost_usd, s.estimated_requests)""");

    private final String addToDaily;

    Dialect(String addToDaily) {
        this.addToDaily = addToDaily;
    }

    /** The statement adding one aggregate to its daily row; parameters in the order of the columns. */
    String addToDaily() {
        return addToDaily;
    }

    /** The dialect of the database behind {@code connection}. */
    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("h2")) {
            return H2;
        }
        throw new SQLException("the ledger supports PostgreSQL and H2, not " + product);
    }
}
