package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.CooldownPolicy;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.RetryPolicy;
import dev.switchboard.config.Timeouts;
import dev.switchboard.time.ManualScheduler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cooldown entry and exit on a hand-driven clock. */
class CircuitBreakerCooldownsTest {
    private static final ProviderConfig PROVIDER = new ProviderConfig("p", ProviderType.ECHO, null, null, Map.of(),
            Timeouts.DEFAULTS, RetryPolicy.DEFAULTS, new CooldownPolicy(3, 30_000));
    private final ManualScheduler time = new ManualScheduler();
    private final CircuitBreakerCooldowns cooldowns = new CircuitBreakerCooldowns(time.clock());
    private final Target a = target("a");
    private final Target b = target("b");

    private static Target target(String id) {
        return new Target(new ModelConfig(id, "p", id, null), PROVIDER, new ScriptedConnector());
    }

    private void fail(Target target) {
        assertThat(cooldowns.tryAcquire(target)).isTrue();
        cooldowns.onFailure(target);
    }

    private void succeed(Target target) {
        assertThat(cooldowns.tryAcquire(target)).isTrue();
        cooldowns.onSuccess(target);
    }

    @Test
    void threeFailuresInARowStartACooldown() {
        fail(a);
        fail(a);
        assertThat(cooldowns.isCoolingDown(a)).isFalse();
        fail(a);
        assertThat(cooldowns.isCoolingDown(a)).isTrue();
        assertThat(cooldowns.tryAcquire(a)).isFalse();
        assertThat(cooldowns.isCoolingDown(b)).as("per target").isFalse();
    }

    @Test
    void aSuccessInBetweenResetsTheCount() {
        fail(a);
        fail(a);
        succeed(a);
        fail(a);
        fail(a);
        assertThat(cooldowns.isCoolingDown(a)).isFalse();
        fail(a);
        assertThat(cooldowns.isCoolingDown(a)).isTrue();
    }

    @Test
    void afterThePeriodOneTrialIsLetThroughAndItsSuccessEndsTheCooldown() {
        fail(a);
        fail(a);
        fail(a);
        time.advance(30_000, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.tryAcquire(a)).as("still cooling at exactly the period").isFalse();
        time.advance(1, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.isCoolingDown(a)).isFalse();

        assertThat(cooldowns.tryAcquire(a)).as("the trial").isTrue();
        assertThat(cooldowns.tryAcquire(a)).as("only one trial at a time").isFalse();
        cooldowns.onSuccess(a);
        assertThat(cooldowns.tryAcquire(a)).isTrue();
        assertThat(cooldowns.tryAcquire(a)).isTrue();
    }

    @Test
    void aFailedTrialStartsAnotherPeriod() {
        fail(a);
        fail(a);
        fail(a);
        time.advance(30_001, TimeUnit.MILLISECONDS);
        fail(a);
        assertThat(cooldowns.isCoolingDown(a)).isTrue();
        time.advance(29, TimeUnit.SECONDS);
        assertThat(cooldowns.tryAcquire(a)).isFalse();
        time.advance(1_001, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.tryAcquire(a)).isTrue();
    }

    @Test
    void aReleasedTrialCanBeTakenAgain() {
        fail(a);
        fail(a);
        fail(a);
        time.advance(30_001, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.tryAcquire(a)).isTrue();
        cooldowns.release(a);
        assertThat(cooldowns.tryAcquire(a)).isTrue();
    }

    @Test
    void theLongestCooledIsTheOneThatStartedItsCooldownFirst() {
        fail(b);
        fail(b);
        fail(b);
        time.advance(5, TimeUnit.SECONDS);
        fail(a);
        fail(a);
        fail(a);
        assertThat(cooldowns.longestCooled(List.of(a, b))).isSameAs(b);
        assertThat(cooldowns.longestCooled(List.of(b, a))).isSameAs(b);
    }
}
