package dev.switchboard.routing;

/**
 * One target's cooldown as a store shared by a fleet carries it: its phase, when its cooldown
 * began and when it last changed (wall-clock milliseconds of the node that changed it). The newer
 * change wins. Immutable.
 */
public record CooldownState(Phase phase, long openedAtMillis, long changedAtMillis) {
    /** The phases of docs/routing.md#cooldowns. */
    public enum Phase {
        /** Healthy: counting failures in a row. */
        CLOSED,
        /** Cooling down since {@code openedAtMillis}. */
        OPEN,
        /** Its period is over and one request is trying it, since {@code changedAtMillis}. */
        TRIAL
    }

    /** {@code PHASE openedAt changedAt}, the form a shared store keeps. */
    public String encode() {
        return phase.name() + ' ' + openedAtMillis + ' ' + changedAtMillis;
    }

    /** The state {@link #encode} wrote, or null for anything else (a store may hold garbage). */
    public static CooldownState decode(String text) {
        String[] parts = text.split(" ");
        if (parts.length != 3) {
            return null;
        }
        try {
            return new CooldownState(Phase.valueOf(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
