package dev.switchboard.routing;

import dev.switchboard.llm.ClientRequest;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.time.Scheduler;
import dev.switchboard.tracing.RequestTrace;
import java.util.random.RandomGenerator;

/**
 * What every request's {@link Dispatch} shares: the cooldowns, each target's load on this node,
 * the timer, the random source of jitter and weighted picks, and the observer of attempts.
 * Shared; one per gateway.
 */
public final class Dispatcher {
    private final Cooldowns cooldowns;
    private final TargetLoad load = new TargetLoad();
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final AttemptObserver observer;

    public Dispatcher(Cooldowns cooldowns, Scheduler scheduler, RandomGenerator random, AttemptObserver observer) {
        this.cooldowns = cooldowns;
        this.scheduler = scheduler;
        this.random = random;
        this.observer = observer;
    }

    /**
     * A dispatch of {@code clientRequest} along {@code route}, reporting to {@code client}; it
     * starts with {@link Dispatch#start()}.
     *
     * @param requestId the request's id, for the log lines of its attempts
     */
    public Dispatch dispatch(Route route, ClientRequest clientRequest, String requestId, ResponseSink client) {
        return dispatch(route, clientRequest, requestId, client, RequestTrace.NONE);
    }

    /** The same, with each attempt traced as a client span of {@code trace}. */
    public Dispatch dispatch(Route route, ClientRequest clientRequest, String requestId, ResponseSink client,
                             RequestTrace trace) {
        return new Dispatch(route, clientRequest, requestId, client, cooldowns, load, scheduler, random, observer,
                trace);
    }
}
