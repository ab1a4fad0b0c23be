package dev.switchboard.routing;

import java.util.List;

/**
 * Which targets failed repeatedly and are skipped for a while. The state is per node today, in
 * memory; this interface is the seam where a store shared by a fleet can replace it.
 *
 * <p>Every {@link #tryAcquire} that returns true must be followed by exactly one of
 * {@link #onSuccess}, {@link #onFailure} or {@link #release}.
 */
public interface Cooldowns {
    /** Whether the target may be tried now; after its cooldown this reserves the one trial. */
    boolean tryAcquire(Target target);

    void onSuccess(Target target);

    void onFailure(Target target);

    /** The reserved try did not happen (the client left first). */
    void release(Target target);

    boolean isCoolingDown(Target target);

    /** Among targets that are all cooling down, the one that has cooled the longest. */
    Target longestCooled(List<Target> targets);
}
