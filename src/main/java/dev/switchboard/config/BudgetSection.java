package dev.switchboard.config;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.util.Set;

/** Parses a {@code budget} object of a token or a team. Stateless. */
final class BudgetSection {
    private static final Set<String> FIELDS = Set.of("usd", "period");

    private BudgetSection() {
    }

    /** The {@code budget} member of {@code owner}, or null when it has none. */
    static BudgetConfig budget(ConfigReader read, JsonObject owner, String ownerPath) {
        if (!owner.containsKey("budget")) {
            return null;
        }
        String path = ownerPath + ".budget";
        JsonObject budget = read.asObject(owner.get("budget"), path);
        read.checkKeys(budget, path, FIELDS);
        if (!(budget.get("usd") instanceof JsonNumber usd) || usd.bigDecimalValue().signum() < 0) {
            throw new ConfigException(path + ".usd", "must be a number of US dollars, zero or more");
        }
        String periodName = read.string(budget, "period", path, true);
        BudgetPeriod period = BudgetPeriod.fromConfigName(periodName);
        if (period == null) {
            throw new ConfigException(path + ".period", "unknown value '" + ConfigParser.escaped(periodName)
                    + "' (expected day, week, month or total)");
        }
        return new BudgetConfig(usd.bigDecimalValue(), period);
    }
}
