package dev.switchboard.spend;

import dev.switchboard.config.BudgetConfig;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Why a request is refused: the budget that is spent. Immutable.
 *
 * @param owner {@code token} or {@code team}
 * @param name the token's or team's name
 * @param spentUsd what its period has spent
 * @param reset when the period ends, or null for a total budget
 */
public record BudgetRefusal(String owner, String name, BudgetConfig budget, BigDecimal spentUsd, Instant reset) {
    /** The client's message: which budget, how much, and when it resets. */
    public String message() {
        return "Budget exceeded for " + owner + " '" + name + "': its " + budget.period().configName() + " budget of $"
                + budget.usd().toPlainString() + " is spent ($" + spentUsd.toPlainString()
                + " this period). " + (reset == null ? "It is a total budget and does not reset."
                : "It resets at " + reset + ".");
    }
}
