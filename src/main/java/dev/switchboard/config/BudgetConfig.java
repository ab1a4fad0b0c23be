package dev.switchboard.config;

import java.math.BigDecimal;

/**
 * A spending budget of a token or a team (docs/spend.md#budgets): requests are refused once the
 * period's spend has reached {@code usd}. Immutable.
 *
 * @param usd the most the period may spend, in US dollars
 * @param period the UTC calendar period the budget covers
 */
public record BudgetConfig(BigDecimal usd, BudgetPeriod period) {
}
