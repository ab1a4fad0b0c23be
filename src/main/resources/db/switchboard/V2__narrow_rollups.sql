-- Two narrower daily rollups, kept by the writer in the same transaction as ledger_daily, so that
-- a usage report reads the smallest table that holds its groups instead of every token's every
-- model (docs/spend.md#how-fast-the-usage-api-answers). Filled from ledger_daily here once.

-- Per UTC day, token and team.
CREATE TABLE ledger_daily_by_token (
    usage_day          DATE NOT NULL,
    token_name         VARCHAR(256) NOT NULL,
    team               VARCHAR(256) NOT NULL,
    requests           BIGINT NOT NULL,
    input_tokens       BIGINT NOT NULL,
    output_tokens      BIGINT NOT NULL,
    cached_tokens      BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    reasoning_tokens   BIGINT NOT NULL,
    cost_usd           NUMERIC(24, 12) NOT NULL,
    estimated_requests BIGINT NOT NULL,
    PRIMARY KEY (usage_day, token_name, team)
);

-- Per UTC day, team, model and provider: every report not grouped by token (team '' for tokens of no team).
CREATE TABLE ledger_daily_by_team_model (
    usage_day          DATE NOT NULL,
    team               VARCHAR(256) NOT NULL,
    model              VARCHAR(256) NOT NULL,
    provider           VARCHAR(256) NOT NULL,
    requests           BIGINT NOT NULL,
    input_tokens       BIGINT NOT NULL,
    output_tokens      BIGINT NOT NULL,
    cached_tokens      BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    reasoning_tokens   BIGINT NOT NULL,
    cost_usd           NUMERIC(24, 12) NOT NULL,
    estimated_requests BIGINT NOT NULL,
    PRIMARY KEY (usage_day, team, model, provider)
);

INSERT INTO ledger_daily_by_token (usage_day, token_name, team, requests, input_tokens, output_tokens, cached_tokens,
    cache_write_tokens, reasoning_tokens, cost_usd, estimated_requests)
SELECT usage_day, token_name, team, SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
    SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(cost_usd), SUM(estimated_requests)
FROM ledger_daily GROUP BY usage_day, token_name, team;

INSERT INTO ledger_daily_by_team_model (usage_day, team, model, provider, requests, input_tokens, output_tokens,
    cached_tokens, cache_write_tokens, reasoning_tokens, cost_usd, estimated_requests)
SELECT usage_day, team, model, provider, SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
    SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(cost_usd), SUM(estimated_requests)
FROM ledger_daily GROUP BY usage_day, team, model, provider;
