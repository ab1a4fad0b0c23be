package dev.switchboard.routing;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.provider.Failure;

/**
 * Judges failures for routing: which of several says the most to the client, and what the metrics
 * call each attempt's end. The judgement itself is the failure's kind's. Stateless.
 */
final class Failures {
    /** The metrics' outcome of an attempt that answered. */
    static final String OK = "ok";
    /** The metrics' outcome of an attempt the client left before it ended. */
    static final String CANCELLED = "cancelled";

    private Failures() {
    }

    /** Whether {@code candidate} tells the client more than {@code best}; ties go to the later failure. */
    static boolean better(Failure candidate, Failure best) {
        return best == null || candidate.kind().weight() >= best.kind().weight();
    }

    static Failure nothingAvailable(String requested) {
        return Failure.of(ErrorKind.UPSTREAM_UNREACHABLE.error("No target of '" + requested + "' could be tried."));
    }
}
