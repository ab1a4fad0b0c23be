package dev.switchboard.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The exchanges a node holds at once: all of them against {@code requests.maxInFlight}, and each
 * token's and team's against their {@code maxConcurrent} (docs/hostile-clients.md#concurrency-caps).
 * A request takes a {@link Permit} before anything is sent to a provider and gives it back when its
 * exchange ends; the counts are this node's, not shared through Redis, since what they protect
 * (heap, descriptors, upstream connections) is the node's too. Shared and thread-safe.
 */
public final class Concurrency {
    /** Which cap refused a request. */
    public enum Refusal {
        /** The node holds {@code requests.maxInFlight} exchanges. */
        NODE,
        /** The token has {@code maxConcurrent} requests in flight. */
        TOKEN,
        /** The token's team has its {@code maxConcurrent} requests in flight. */
        TEAM
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> byToken = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> byTeam = new ConcurrentHashMap<>();

    /**
     * Takes a place for one request, or refuses it without taking any.
     *
     * @param tokenMax the token's {@code maxConcurrent}, or null for none
     * @param team the token's team, or null
     * @param teamMax the team's {@code maxConcurrent}, or null for none
     */
    public Permit acquire(int maxInFlight, String token, Integer tokenMax, String team, Integer teamMax) {
        int now;
        do {
            now = inFlight.get();
            if (now >= maxInFlight) {
                return new Permit(this, Refusal.NODE, null, null);
            }
        } while (!inFlight.compareAndSet(now, now + 1));
        String tokenKey = null;
        if (tokenMax != null) {
            if (!take(byToken, token, tokenMax)) {
                inFlight.decrementAndGet();
                return new Permit(this, Refusal.TOKEN, null, null);
            }
            tokenKey = token;
        }
        String teamKey = null;
        if (team != null && teamMax != null) {
            if (!take(byTeam, team, teamMax)) {
                give(byToken, tokenKey);
                inFlight.decrementAndGet();
                return new Permit(this, Refusal.TEAM, null, null);
            }
            teamKey = team;
        }
        return new Permit(this, null, tokenKey, teamKey);
    }

    /** Exchanges holding a permit now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests in flight of {@code token} counted against its cap (0 when it has none). */
    public int inFlight(String token) {
        return byToken.getOrDefault(token, 0);
    }

    private static boolean take(ConcurrentHashMap<String, Integer> counts, String key, int max) {
        boolean[] taken = new boolean[1];
        counts.compute(key, (k, held) -> {
            int now = held == null ? 0 : held;
            if (now >= max) {
                return held;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    /** Gives one place back, dropping the entry at zero so that the map holds only tokens in flight. */
    private static void give(ConcurrentHashMap<String, Integer> counts, String key) {
        if (key != null) {
            counts.computeIfPresent(key, (k, held) -> held <= 1 ? null : held - 1);
        }
    }

    private void release(Permit permit) {
        give(byToken, permit.token);
        give(byTeam, permit.team);
        inFlight.decrementAndGet();
    }

    /**
     * One request's place, or the refusal of one. Released at most once, however many paths try:
     * the end of an exchange may be seen by the container's callback, the watchdog and an error
     * path alike. Per request.
     */
    public static final class Permit {
        /** A permit that holds nothing, for requests no cap applies to. */
        public static final Permit NONE = new Permit(null, null, null, null);

        private final Concurrency owner;
        private final Refusal refusal;
        private final String token;
        private final String team;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(Concurrency owner, Refusal refusal, String token, String team) {
            this.owner = owner;
            this.refusal = refusal;
            this.token = token;
            this.team = team;
            if (refusal != null) {
                released.set(true);
            }
        }

        /** Which cap refused the request, or null when it was admitted. */
        public Refusal refusal() {
            return refusal;
        }

        /** Gives the place back; only the first call counts. */
        public void release() {
            if (owner != null && released.compareAndSet(false, true)) {
                owner.release(this);
            }
        }
    }
}
