package dev.switchboard.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.CooldownPolicy;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.RedisConfig;
import dev.switchboard.config.RetryPolicy;
import dev.switchboard.config.Timeouts;
import dev.switchboard.routing.Cooldowns;
import dev.switchboard.routing.Target;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Cooldowns shared by two nodes through a real Redis (TestRedis): an opening on one keeps the
 * target behind the others on both within a second, a success anywhere closes it everywhere, a
 * trial on one is respected by the other, and an outage loses nothing that can still matter.
 */
class RedisCooldownsIT {
    private static final Target TARGET = target(30_000);

    private static Target target(long periodMs) {
        ProviderConfig provider = new ProviderConfig("p", ProviderType.ECHO, null, null, Map.of(), Timeouts.DEFAULTS,
                RetryPolicy.DEFAULTS, new CooldownPolicy(3, periodMs));
        return new Target(new ModelConfig("m", "p", "m", null), provider, null);
    }

    private static void failThreeTimes(Node node) {
        failThreeTimes(node, TARGET);
    }

    private static void failThreeTimes(Node node, Target target) {
        for (int i = 0; i < 3; i++) {
            node.cooldowns.acquire(target);
            node.cooldowns.onFailure(target);
        }
    }

    private static void await(String what, BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void anOpeningOnOneNodeReachesTheOtherWithinASecondAndASuccessThereClosesItHere() throws Exception {
        RedisConfig config = Node.config(TestRedis.sharedUrl(), TestRedis.uniquePrefix(), RedisConfig.OnFailure.LOCAL);
        try (Node a = new Node(config); Node b = new Node(config)) {
            RedisRateLimiterIT.awaitUp(a, 5_000);
            RedisRateLimiterIT.awaitUp(b, 5_000);
            failThreeTimes(a);
            assertThat(a.cooldowns.isCoolingDown(TARGET)).isTrue();
            long opened = System.currentTimeMillis();
            await("b sees the cooldown", () -> b.cooldowns.isCoolingDown(TARGET), 1_000);
            assertThat(System.currentTimeMillis() - opened).isLessThan(1_000);

            b.cooldowns.onSuccess(TARGET);
            await("a sees the success", () -> !a.cooldowns.isCoolingDown(TARGET), 2_000);
            assertThat(a.cooldowns.acquire(TARGET)).isEqualTo(Cooldowns.Standing.HEALTHY);
        }
    }

    @Test
    void aTrialTakenOnOneNodeKeepsTheTargetBehindTheOthersOnTheOther() throws Exception {
        RedisConfig config = Node.config(TestRedis.sharedUrl(), TestRedis.uniquePrefix(), RedisConfig.OnFailure.LOCAL);
        try (Node a = new Node(config); Node b = new Node(config)) {
            Target brief = target(2_000);
            failThreeTimes(a, brief);
            await("b sees the cooldown", () -> b.cooldowns.isCoolingDown(brief), 2_000);
            await("the period is over", () -> !a.cooldowns.isCoolingDown(brief), 3_000);
            assertThat(a.cooldowns.acquire(brief)).isEqualTo(Cooldowns.Standing.TRIAL);
            await("b sees the trial", () -> b.cooldowns.isCoolingDown(brief), 2_000);
            assertThat(b.cooldowns.acquire(brief)).isEqualTo(Cooldowns.Standing.COOLING);

            a.cooldowns.onSuccess(brief);
            await("b sees the trial's success", () -> !b.cooldowns.isCoolingDown(brief), 2_000);
        }
    }

    @Test
    void whileRedisIsAwayEachNodeGoesOnAloneAndWhatItChangedIsSharedWhenRedisIsBack() throws Exception {
        try (TestRedis.Owned redis = TestRedis.own()) {
            RedisConfig config = Node.config(redis.url(), TestRedis.uniquePrefix(), RedisConfig.OnFailure.LOCAL);
            try (Node a = new Node(config); Node b = new Node(config)) {
                redis.stop();
                failThreeTimes(a);
                assertThat(a.cooldowns.isCoolingDown(TARGET)).as("alone, as one node would").isTrue();
                await("a notices the outage", () -> !a.store.isUp(), 2_000);
                assertThat(a.fallbacks("cooldowns")).isPositive();
                assertThat(b.cooldowns.isCoolingDown(TARGET)).isFalse();

                redis.start();
                await("b learns what a did during the outage", () -> b.cooldowns.isCoolingDown(TARGET), 8_000);
            }
        }
    }
}
