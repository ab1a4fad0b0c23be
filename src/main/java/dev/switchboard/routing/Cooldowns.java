package dev.switchboard.routing;

/**
 * Which targets failed repeatedly and wait behind the others for a while (docs/routing.md#cooldowns).
 * A cooldown reorders a route, it never removes a target from it: a cooling target is tried after
 * every target that is not, so a request fails only when every target it may use has been tried.
 *
 * <p>Every call answers from memory at once, without I/O, so that routing never waits: a store
 * shared by a fleet keeps a local copy current and hears about local changes (docs/routing.md#several-nodes).
 *
 * <p>A {@link Standing#TRIAL} from {@link #acquire} must be followed by exactly one of
 * {@link #onSuccess}, {@link #onFailure} or {@link #release}.
 */
public interface Cooldowns {
    /** Where a target stands for a try about to start. */
    enum Standing {
        /** Not cooling down: tried in its place. */
        HEALTHY,
        /** Its cooling period is over and this caller holds its one trial: tried in its place. */
        TRIAL,
        /** Cooling down: tried only after every target that is not. */
        COOLING
    }

    /** Where the target stands now; once its period is over, the first caller gets the trial. */
    Standing acquire(Target target);

    /** The target answered: any cooldown of it ends at once. */
    void onSuccess(Target target);

    /** The target failed in a way that counts against it. */
    void onFailure(Target target);

    /** A trial taken with {@link #acquire} did not happen, or told nothing: it is given back. */
    void release(Target target);

    boolean isCoolingDown(Target target);

    /**
     * When the target's cooldown began (milliseconds of the cooldowns' clock), so that among
     * cooling targets the one that has cooled longest is tried first; {@link Long#MAX_VALUE}
     * for a target that is not cooling.
     */
    long cooledSince(Target target);
}
