package dev.switchboard.ledger;

import java.time.LocalDate;
import java.util.List;

/**
 * One question to the usage API: the UTC days {@code [from, to)}, grouped by some of token, team,
 * model and provider. Immutable.
 */
public record UsageQuery(LocalDate from, LocalDate to, List<GroupBy> groupBy) {
    public UsageQuery {
        groupBy = List.copyOf(groupBy);
    }

    /** What results may be grouped by, and the rollup column of each (named here only: never client text in SQL). */
    public enum GroupBy {
        TOKEN("token", "token_name"),
        TEAM("team", "team"),
        MODEL("model", "model"),
        PROVIDER("provider", "provider");

        private final String parameter;
        final String column;

        GroupBy(String parameter, String column) {
            this.parameter = parameter;
            this.column = column;
        }

        /** The value of {@code group_by} that names it. */
        public String parameter() {
            return parameter;
        }

        /** The grouping a {@code group_by} value names, or null. */
        public static GroupBy of(String parameter) {
            for (GroupBy group : values()) {
                if (group.parameter.equals(parameter)) {
                    return group;
                }
            }
            return null;
        }
    }
}
