package dev.switchboard.config;

import jakarta.json.JsonObject;
import java.util.Set;

/** Parses {@code requests} (docs/configuration.md#requests). Stateless. */
final class RequestSection {
    private static final Set<String> FIELDS = Set.of("bodyIdleMs", "bodyGraceMs", "bodyMinBytesPerSecond", "maxInFlight",
            "maxStreamMs");

    private RequestSection() {
    }

    static RequestLimits requests(ConfigReader read, JsonObject root) {
        RequestLimits defaults = RequestLimits.defaults();
        if (!root.containsKey("requests")) {
            return defaults;
        }
        JsonObject requests = read.object(root, "requests", null, true);
        read.checkKeys(requests, "requests", FIELDS);
        long idle = read.optionalPositive(requests, "bodyIdleMs", "requests", defaults.bodyIdleMs());
        long grace = requests.containsKey("bodyGraceMs")
                ? read.nonNegativeInt(requests.get("bodyGraceMs"), "requests.bodyGraceMs") : defaults.bodyGraceMs();
        long rate = requests.containsKey("bodyMinBytesPerSecond")
                ? read.nonNegativeInt(requests.get("bodyMinBytesPerSecond"), "requests.bodyMinBytesPerSecond")
                : defaults.bodyMinBytesPerSecond();
        int maxInFlight = requests.containsKey("maxInFlight")
                ? read.positiveInt(requests.get("maxInFlight"), "requests.maxInFlight") : defaults.maxInFlight();
        long maxStream = requests.containsKey("maxStreamMs")
                ? read.nonNegativeInt(requests.get("maxStreamMs"), "requests.maxStreamMs") : defaults.maxStreamMs();
        return new RequestLimits(idle, grace, rate, maxInFlight, maxStream);
    }
}
