package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.CooldownPolicy;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.RetryPolicy;
import dev.switchboard.config.Timeouts;
import dev.switchboard.routing.CooldownState.Phase;
import dev.switchboard.routing.Cooldowns.Standing;
import dev.switchboard.time.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The cooldown state machine on a hand-driven clock, one test per row of docs/routing.md#cooldowns. */
class LocalCooldownsTest {
    private static final ProviderConfig PROVIDER = new ProviderConfig("p", ProviderType.ECHO, null, null, Map.of(),
            Timeouts.DEFAULTS, RetryPolicy.DEFAULTS, new CooldownPolicy(3, 30_000));
    private final ManualScheduler time = new ManualScheduler();
    private final List<String> shared = new ArrayList<>();
    private final LocalCooldowns cooldowns = new LocalCooldowns(time.clock(),
            (key, state) -> shared.add(key + " " + state.phase()));
    private final Target a = target("a");
    private final Target b = target("b");

    private static Target target(String id) {
        return new Target(new ModelConfig(id, "p", id, null), PROVIDER, new ScriptedConnector());
    }

    private void fail(Target target, int times) {
        for (int i = 0; i < times; i++) {
            cooldowns.acquire(target);
            cooldowns.onFailure(target);
        }
    }

    @Test
    void closedThreeFailuresInARowOpenIt() {
        fail(a, 2);
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.HEALTHY);
        assertThat(cooldowns.isCoolingDown(a)).isFalse();
        fail(a, 1);
        assertThat(cooldowns.isCoolingDown(a)).isTrue();
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.COOLING);
        assertThat(cooldowns.isCoolingDown(b)).as("per target").isFalse();
        assertThat(shared).as("only the opening is a change worth sharing").containsExactly("a@p OPEN");
    }

    @Test
    void closedASuccessInBetweenResetsTheCount() {
        fail(a, 2);
        cooldowns.onSuccess(a);
        fail(a, 2);
        assertThat(cooldowns.isCoolingDown(a)).isFalse();
        fail(a, 1);
        assertThat(cooldowns.isCoolingDown(a)).isTrue();
    }

    @Test
    void openASuccessClosesItAtOnce() {
        fail(a, 3);
        cooldowns.onSuccess(a);
        assertThat(cooldowns.isCoolingDown(a)).isFalse();
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.HEALTHY);
        assertThat(cooldowns.cooledSince(a)).isEqualTo(Long.MAX_VALUE);
        assertThat(shared).containsExactly("a@p OPEN", "a@p CLOSED");
    }

    @Test
    void openAFailureStartsTheWholePeriodAgain() {
        fail(a, 3);
        time.advance(20, TimeUnit.SECONDS);
        cooldowns.onFailure(a);
        time.advance(20, TimeUnit.SECONDS);
        assertThat(cooldowns.isCoolingDown(a)).as("30 s from the last failure, not the first").isTrue();
        assertThat(cooldowns.cooledSince(a)).isEqualTo(20_000);
    }

    @Test
    void openAfterThePeriodTheFirstCallerGetsTheOneTrialAndTheOthersWait() {
        fail(a, 3);
        time.advance(30_000, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.acquire(a)).as("still cooling at exactly the period").isEqualTo(Standing.COOLING);
        time.advance(1, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.isCoolingDown(a)).isFalse();

        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.TRIAL);
        assertThat(cooldowns.acquire(a)).as("one trial at a time").isEqualTo(Standing.COOLING);
        assertThat(cooldowns.isCoolingDown(a)).isTrue();
        assertThat(shared).containsExactly("a@p OPEN", "a@p TRIAL");
    }

    @Test
    void trialItsSuccessClosesIt() {
        fail(a, 3);
        time.advance(30_001, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.TRIAL);
        cooldowns.onSuccess(a);
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.HEALTHY);
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.HEALTHY);
    }

    @Test
    void trialItsFailureStartsAnotherPeriod() {
        fail(a, 3);
        time.advance(30_001, TimeUnit.MILLISECONDS);
        fail(a, 1);
        assertThat(cooldowns.isCoolingDown(a)).isTrue();
        time.advance(29, TimeUnit.SECONDS);
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.COOLING);
        time.advance(1_001, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.TRIAL);
    }

    @Test
    void trialGivenBackCanBeTakenAgainAtOnce() {
        fail(a, 3);
        time.advance(30_001, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.TRIAL);
        cooldowns.release(a);
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.TRIAL);
    }

    @Test
    void trialThatNeverReportsLapsesAfterAPeriod() {
        fail(a, 3);
        time.advance(30_001, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.TRIAL);
        time.advance(30_001, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.acquire(a)).as("the node that held it may have died").isEqualTo(Standing.TRIAL);
    }

    @Test
    void closedReleaseAndSuccessChangeNothingAndShareNothing() {
        cooldowns.release(a);
        cooldowns.onSuccess(a);
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.HEALTHY);
        assertThat(shared).isEmpty();
    }

    @Test
    void theLongestCooledIsTheOneThatStartedItsCooldownFirst() {
        fail(b, 3);
        time.advance(5, TimeUnit.SECONDS);
        fail(a, 3);
        assertThat(cooldowns.cooledSince(b)).isLessThan(cooldowns.cooledSince(a));
    }

    @Test
    void aNewerChangeFromAnotherNodeIsTakenAndAnOlderOneIsNot() {
        time.advance(10, TimeUnit.SECONDS);
        cooldowns.apply("a@p", new CooldownState(Phase.OPEN, 9_000, 9_000));
        assertThat(cooldowns.isCoolingDown(a)).isTrue();
        assertThat(shared).as("what came from the store is not sent back").isEmpty();

        cooldowns.apply("a@p", new CooldownState(Phase.CLOSED, 0, 8_000));
        assertThat(cooldowns.isCoolingDown(a)).as("older than what this node knows").isTrue();

        cooldowns.apply("a@p", new CooldownState(Phase.CLOSED, 9_000, 9_500));
        assertThat(cooldowns.isCoolingDown(a)).isFalse();
    }

    @Test
    void aTrialOnAnotherNodeKeepsTheTargetBehindTheOthersHere() {
        fail(a, 3);
        time.advance(31, TimeUnit.SECONDS);
        cooldowns.apply("a@p", new CooldownState(Phase.TRIAL, 0, 30_500));
        assertThat(cooldowns.acquire(a)).isEqualTo(Standing.COOLING);
    }

    @Test
    void statesSurviveTheirTextForm() {
        CooldownState state = new CooldownState(Phase.TRIAL, 12, 34);
        assertThat(CooldownState.decode(state.encode())).isEqualTo(state);
        assertThat(CooldownState.decode("OPEN 1")).isNull();
        assertThat(CooldownState.decode("AJAR 1 2")).isNull();
        assertThat(CooldownState.decode("OPEN x 2")).isNull();
    }
}
