package dev.switchboard.routing;

import dev.switchboard.config.CooldownPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link Cooldowns} on Resilience4j circuit breakers, one per target, in memory (per node;
 * shared by all requests). "N failures in a row, then skip for a period" is a count-based breaker
 * whose window and minimum are N calls at a 100% failure threshold: it opens exactly when the
 * last N calls all failed. After the period one trial is let through (half-open); its success
 * closes the breaker, its failure opens it for another period.
 */
public final class CircuitBreakerCooldowns implements Cooldowns {
    private static final Exception FAILED = new Exception("upstream failure") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private final Clock clock;
    private final ConcurrentMap<Key, Breaker> breakers = new ConcurrentHashMap<>();

    public CircuitBreakerCooldowns(Clock clock) {
        this.clock = clock;
    }

    /** A breaker per model and policy, so that a reload changing the policy starts afresh. */
    private record Key(String model, CooldownPolicy policy) {
    }

    /** A breaker and when it last opened, which the library does not expose. */
    private static final class Breaker {
        final CircuitBreaker circuitBreaker;
        volatile long openedAtMillis = Long.MAX_VALUE;

        Breaker(CircuitBreaker circuitBreaker) {
            this.circuitBreaker = circuitBreaker;
        }
    }

    private Breaker breaker(Target target) {
        CooldownPolicy policy = target.provider().cooldown();
        return breakers.computeIfAbsent(new Key(target.model().id(), policy), key -> {
            CircuitBreaker circuitBreaker = CircuitBreaker.of(key.model(), CircuitBreakerConfig.custom()
                    .slidingWindow(policy.failures(), policy.failures(), CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .failureRateThreshold(100)
                    .waitDurationInOpenState(Duration.ofMillis(policy.periodMs()))
                    .permittedNumberOfCallsInHalfOpenState(1)
                    // Both would start Resilience4j's scheduler thread, which outlives the
                    // application. Neither is needed: the next request moves an open breaker on,
                    // and every trial reports back (Dispatch releases the permission of a
                    // cancelled one).
                    .automaticTransitionFromOpenToHalfOpenEnabled(false)
                    .clock(clock)
                    .build());
            return new Breaker(circuitBreaker);
        });
    }

    @Override
    public boolean tryAcquire(Target target) {
        return breaker(target).circuitBreaker.tryAcquirePermission();
    }

    @Override
    public void onSuccess(Target target) {
        breaker(target).circuitBreaker.onSuccess(0, TimeUnit.MILLISECONDS);
    }

    /**
     * Only a failure opens a breaker, so this is where the opening time is taken. (A state
     * transition listener would do it too, but any listener makes Resilience4j build an event,
     * with a ZonedDateTime, for every call on the breaker: garbage on every request.)
     */
    @Override
    public void onFailure(Target target) {
        Breaker breaker = breaker(target);
        boolean wasOpen = breaker.circuitBreaker.getState() == CircuitBreaker.State.OPEN;
        breaker.circuitBreaker.onError(0, TimeUnit.MILLISECONDS, FAILED);
        if (!wasOpen && breaker.circuitBreaker.getState() == CircuitBreaker.State.OPEN) {
            breaker.openedAtMillis = clock.millis();
        }
    }

    @Override
    public void release(Target target) {
        breaker(target).circuitBreaker.releasePermission();
    }

    @Override
    public boolean isCoolingDown(Target target) {
        Breaker breaker = breaker(target);
        // The library lets the trial through strictly after the period; agree with it at the boundary.
        return breaker.circuitBreaker.getState() == CircuitBreaker.State.OPEN
                && clock.millis() - breaker.openedAtMillis <= target.provider().cooldown().periodMs();
    }

    @Override
    public Target longestCooled(List<Target> targets) {
        Target longest = targets.get(0);
        long earliest = Long.MAX_VALUE;
        for (Target target : targets) {
            long openedAt = breaker(target).openedAtMillis;
            if (openedAt < earliest) {
                earliest = openedAt;
                longest = target;
            }
        }
        return longest;
    }
}
