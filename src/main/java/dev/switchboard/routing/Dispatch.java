package dev.switchboard.routing;

import dev.switchboard.config.RetryPolicy;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.FailureKind;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.time.Scheduler;
import dev.switchboard.tracing.AttemptTrace;
import dev.switchboard.tracing.RequestTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Carries one client request along its route until a target answers: tries the targets in the
 * route's order, each up to its provider's attempt count with backoff, with the targets that are
 * cooling down moved behind the others (tried last, never skipped: docs/routing.md#cooldowns),
 * and gives up with the most informative failure once every target has been tried. Per request.
 *
 * <p>Nothing is retried once the client has been sent anything (a chunk, a completion, or the
 * start of a stream); a bad request (a non-retryable error) is returned at once, not retried
 * elsewhere, while a provider refusing Switchboard's own account or giving an unusable answer
 * moves on to the next target. Waiting is a scheduled task, never a sleeping thread. Output from
 * an attempt that was abandoned can never reach the client: each attempt writes through its own
 * sink, which goes quiet once another attempt has replaced it.
 */
public final class Dispatch {
    private final Route route;
    private final ClientRequest clientRequest;
    private final String requestId;
    private final ResponseSink client;
    private final Cooldowns cooldowns;
    private final TargetLoad load;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final AttemptObserver observer;
    private final RequestTrace trace;

    private final Object lock = new Object();
    /** The targets not tried yet, in the route's order. Guarded by lock. */
    private List<Target> remaining;
    private Failure best;

    private volatile Target target;
    private volatile int attempts;
    private volatile AttemptSink current;
    private volatile Attempt attempt = Attempt.NONE;
    private volatile boolean committed;
    private volatile boolean cancelled;

    /** An untraced dispatch. */
    Dispatch(Route route, ClientRequest clientRequest, String requestId, ResponseSink client, Cooldowns cooldowns,
             TargetLoad load, Scheduler scheduler, RandomGenerator random, AttemptObserver observer) {
        this(route, clientRequest, requestId, client, cooldowns, load, scheduler, random, observer, RequestTrace.NONE);
    }

    /** Made by {@link Dispatcher#dispatch}, which holds what every dispatch shares. */
    Dispatch(Route route, ClientRequest clientRequest, String requestId, ResponseSink client, Cooldowns cooldowns,
             TargetLoad load, Scheduler scheduler, RandomGenerator random, AttemptObserver observer,
             RequestTrace trace) {
        this.route = route;
        this.clientRequest = clientRequest;
        this.requestId = requestId;
        this.client = client;
        this.cooldowns = cooldowns;
        this.load = load;
        this.scheduler = scheduler;
        this.random = random;
        this.observer = observer;
        this.trace = trace;
    }

    public void start() {
        synchronized (lock) {
            remaining = new ArrayList<>(route.order(random, load));
        }
        nextTarget();
    }

    /** The target of the latest attempt, for the response headers. */
    public Target target() {
        return target;
    }

    /** Attempts started so far. */
    public int attempts() {
        return attempts;
    }

    /**
     * The client went away: stop the attempt in flight and start no other. A try being chosen, or
     * a retry waiting on the timer, sees the cancellation in {@link #tryTarget} and gives back the
     * cooldown trial it holds.
     */
    public void cancel() {
        cancelled = true;
        AttemptSink sink = current;
        current = null;
        attempt.cancel();
        if (sink != null) {
            sink.abandon();
        }
    }

    /**
     * Starts the first try on the next target: the first one left that is not cooling down, or,
     * when every one left is, the one that has cooled longest. Ends the request when none is left.
     */
    private void nextTarget() {
        Target next = null;
        Cooldowns.Standing standing = Cooldowns.Standing.COOLING;
        synchronized (lock) {
            for (int i = 0; i < remaining.size() && next == null; i++) {
                Cooldowns.Standing candidate = cooldowns.acquire(remaining.get(i));
                if (candidate != Cooldowns.Standing.COOLING) {
                    next = remaining.remove(i);
                    standing = candidate;
                }
            }
            if (next == null && !remaining.isEmpty()) {
                int longest = 0;
                for (int i = 1; i < remaining.size(); i++) {
                    if (cooldowns.cooledSince(remaining.get(i)) < cooldowns.cooledSince(remaining.get(longest))) {
                        longest = i;
                    }
                }
                next = remaining.remove(longest);
            }
        }
        if (next == null) {
            giveUp();
        } else {
            tryTarget(next, 1, standing);
        }
    }

    /** Whether a target not tried yet is not cooling down. */
    private boolean healthyTargetLeft() {
        synchronized (lock) {
            for (Target left : remaining) {
                if (!cooldowns.isCoolingDown(left)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Starts a try on {@code next}, which stands as {@code standing} in the cooldowns. */
    private void tryTarget(Target next, int tryNumber, Cooldowns.Standing standing) {
        AttemptSink sink = new AttemptSink(next, tryNumber, standing);
        // Published before cancelled is read, as cancel() sets cancelled before it reads current:
        // whichever comes second sees the other, so the trial this sink holds is always given back.
        current = sink;
        if (cancelled) {
            sink.abandon();
            return;
        }
        target = next;
        attempts++;
        load.started(next);
        AttemptTrace attemptTrace = sink.traced(trace.attempt(clientRequest, next.model(), next.provider(), tryNumber));
        Attempt started = next.connector().start(
                new ProviderCall(clientRequest, next.model(), next.provider(), requestId, attemptTrace), sink);
        synchronized (lock) {
            // The attempt may have failed, and the next one started, before start() returned:
            // then the newer handle is the one a cancel must reach.
            if (current == sink) {
                attempt = started;
            }
        }
        if (cancelled) {
            started.cancel();
        }
    }

    /** A retry after the backoff: where the target stands is asked anew, as time has passed. */
    private void retry(Target again, int tryNumber) {
        tryTarget(again, tryNumber, cooldowns.acquire(again));
    }

    /** Decides what follows a failure that happened before anything reached the client. */
    private void afterFailure(AttemptSink failed, Failure failure) {
        FailureKind kind = failure.kind();
        if (!kind.movesOn()) {
            client.fail(failure);
            return;
        }
        synchronized (lock) {
            if (Failures.better(failure, best)) {
                best = failure;
            }
        }
        if (!kind.retryable()) {
            // The provider refused Switchboard's own key or account, or gave an answer that cannot
            // be used: trying it again will not help, but another target of the route may well answer.
            nextTarget();
            return;
        }
        RetryPolicy policy = failed.target.provider().retry();
        long providerWait = failure.retryAfterMillis();
        if (failed.tryNumber < policy.attempts() && providerWait <= policy.capMs()) {
            if (cooldowns.isCoolingDown(failed.target) && healthyTargetLeft()) {
                // Its cooldown has just opened: the targets that are not cooling come first. When
                // none is left, its own cooldown takes none of this request's tries.
                nextTarget();
                return;
            }
            long delay = providerWait != Failure.UNKNOWN ? providerWait
                    : Backoff.delayMillis(policy, failed.tryNumber, random);
            Target again = failed.target;
            int tryNumber = failed.tryNumber + 1;
            scheduler.schedule(() -> retry(again, tryNumber), delay, TimeUnit.MILLISECONDS);
        } else {
            // Out of tries here, or the provider asks for a longer wait than we would sleep.
            nextTarget();
        }
    }

    private void giveUp() {
        Failure failure;
        synchronized (lock) {
            failure = best;
        }
        client.fail(failure != null ? failure : Failures.nothingAvailable(route.requested()));
    }

    /**
     * One attempt's view of the client: forwards output while this attempt is the current one,
     * settles the target's cooldown once, and turns a failure before the commit into the next
     * routing step. Per attempt.
     */
    private final class AttemptSink implements ResponseSink {
        final Target target;
        final int tryNumber;
        private final Cooldowns.Standing standing;
        private final long startNanos;
        private boolean settled;
        private boolean ended;
        private boolean abandoned;
        /** The attempt's client span; it ends with the attempt's first terminal call or its abandonment. */
        private volatile AttemptTrace attemptTrace = AttemptTrace.NONE;

        AttemptSink(Target target, int tryNumber, Cooldowns.Standing standing) {
            this.target = target;
            this.tryNumber = tryNumber;
            this.standing = standing;
            this.startNanos = scheduler.nanoTime();
        }

        /** Takes the attempt's span; one that arrives after the client left ends at once. */
        synchronized AttemptTrace traced(AttemptTrace started) {
            if (abandoned) {
                started.cancelled();
            } else {
                attemptTrace = started;
            }
            return started;
        }

        private boolean live() {
            return current == this && !cancelled;
        }

        /**
         * Records the outcome for the target's cooldown and the metrics, once per attempt. An
         * error that is not the target's fault (the request's own, such as a 400) counts neither
         * way: it gives the trial back without closing a cooldown or breaking a run of failures.
         */
        private synchronized void settle(Verdict verdict, String outcome) {
            if (settled) {
                return;
            }
            settled = true;
            switch (verdict) {
                case HEALTHY -> {
                    cooldowns.onSuccess(target);
                    load.answered(target, scheduler.nanoTime() - startNanos);
                }
                case FAULT -> cooldowns.onFailure(target);
                case NEUTRAL -> releaseTrial();
            }
            observer.attemptFinished(target.provider().id(), outcome);
        }

        private void releaseTrial() {
            if (standing == Cooldowns.Standing.TRIAL) {
                cooldowns.release(target);
            }
        }

        /** The attempt is over, whichever way: it no longer counts as in flight. */
        private synchronized void end() {
            if (!ended) {
                ended = true;
                load.ended(target);
            }
        }

        /**
         * The client left: an attempt that had not answered gives its trial back unused; one that
         * was streaming simply ends.
         */
        synchronized void abandon() {
            abandoned = true;
            attemptTrace.cancelled();
            if (!settled) {
                settled = true;
                releaseTrial();
                observer.attemptFinished(target.provider().id(), Failures.CANCELLED);
            }
            end();
        }

        private void commit() {
            if (!committed) {
                committed = true;
                settle(Verdict.HEALTHY, Failures.OK);
            }
        }

        @Override
        public void streamStart() {
            if (live()) {
                commit();
                client.streamStart();
            }
        }

        @Override
        public void chunk(SseEvent event) {
            attemptTrace.chunk(event);
            if (live()) {
                commit();
                client.chunk(event);
            }
        }

        @Override
        public void chunks(List<SseEvent> events) {
            AttemptTrace traced = attemptTrace;
            if (traced.isOn()) {
                for (SseEvent event : events) {
                    traced.chunk(event);
                }
            }
            if (live()) {
                commit();
                client.chunks(events);
            }
        }

        @Override
        public void streamEnd(Usage usage) {
            attemptTrace.succeeded(usage);
            end();
            if (live()) {
                commit();
                client.streamEnd(usage);
            }
        }

        @Override
        public void completion(byte[] json, Usage usage) {
            attemptTrace.completion(json);
            attemptTrace.succeeded(usage);
            end();
            if (live()) {
                commit();
                client.completion(json, usage);
            }
        }

        @Override
        public void fail(Failure failure) {
            attemptTrace.failed(failure.kind().label());
            end();
            if (!live()) {
                return;
            }
            settle(failure.kind().targetFault() ? Verdict.FAULT : Verdict.NEUTRAL, failure.kind().label());
            if (committed) {
                client.fail(failure);
            } else {
                afterFailure(this, failure);
            }
        }

        @Override
        public boolean hasRoom() {
            return client.hasRoom();
        }

        @Override
        public void whenRoom(Runnable resume) {
            client.whenRoom(resume);
        }
    }

    /** What an attempt's outcome says about its target, for the cooldowns. */
    private enum Verdict { HEALTHY, FAULT, NEUTRAL }
}
