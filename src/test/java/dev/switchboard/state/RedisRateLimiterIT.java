package dev.switchboard.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.RedisConfig;
import dev.switchboard.limits.Decision;
import dev.switchboard.limits.Limits;
import dev.switchboard.limits.Quota;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Per-token budgets shared by two nodes through a real Redis (TestRedis): counted once for both,
 * never waited on longer than the timeout, and decided alone (or refused) while Redis is away.
 */
class RedisRateLimiterIT {
    private static Decision decide(Node node, String token, Limits limits) throws Exception {
        return node.limiter.acquire(token, limits).toCompletableFuture().get(2, TimeUnit.SECONDS);
    }

    private static Decision.BudgetState state(Decision decision, Decision.Budget budget) {
        return decision.budgets().stream().filter(s -> s.budget() == budget).findFirst().orElseThrow();
    }

    @Test
    void twoNodesShareOneRequestBudgetToTheRequest() throws Exception {
        RedisConfig config = Node.config(TestRedis.sharedUrl(), TestRedis.uniquePrefix(), RedisConfig.OnFailure.LOCAL);
        try (Node a = new Node(config); Node b = new Node(config)) {
            Limits limits = new Limits(7L, null);
            int admitted = 0;
            for (int i = 0; i < 20; i++) {
                if (decide(i % 2 == 0 ? a : b, "shared", limits).allowed()) {
                    admitted++;
                }
            }
            assertThat(admitted).as("7 per minute across both nodes, not 7 each").isEqualTo(7);

            Decision refused = decide(b, "shared", limits);
            assertThat(refused.exhausted()).isEqualTo(Decision.Budget.REQUESTS);
            assertThat(refused.retryAfterSeconds()).isBetween(1L, 9L);
            assertThat(state(refused, Decision.Budget.REQUESTS).remaining()).isZero();
            assertThat(decide(a, "other", limits).allowed()).as("per token").isTrue();
            assertThat(a.fallbacks("limits") + b.fallbacks("limits")).as("all decided in Redis").isZero();
        }
    }

    @Test
    void tokensCountedOnOneNodeAreRefusedOnTheOther() throws Exception {
        RedisConfig config = Node.config(TestRedis.sharedUrl(), TestRedis.uniquePrefix(), RedisConfig.OnFailure.LOCAL);
        try (Node a = new Node(config); Node b = new Node(config)) {
            Limits limits = new Limits(100L, 1000L);
            Decision first = decide(a, "t", limits);
            assertThat(first.allowed()).isTrue();
            assertThat(state(first, Decision.Budget.TOKENS).remaining()).isEqualTo(1000);
            assertThat(state(first, Decision.Budget.REQUESTS).remaining()).isEqualTo(99);

            a.limiter.recordTokens("t", limits, 600);
            awaitTokensLeft(b, limits, 400);
            a.limiter.recordTokens("t", limits, 600);
            awaitTokensLeft(b, limits, -200);

            Decision refused = decide(b, "t", limits);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.exhausted()).isEqualTo(Decision.Budget.TOKENS);
            assertThat(refused.retryAfterSeconds()).as("201 tokens at 1000 a minute").isBetween(12L, 14L);
            Decision afterwards = decide(a, "t", new Limits(100L, null));
            assertThat(state(afterwards, Decision.Budget.REQUESTS).remaining())
                    .as("one request before, one now: the refusal spent none").isEqualTo(98);
        }
    }

    private static Decision decide(Node node, List<Quota> quotas) throws Exception {
        return node.limiter.acquire(quotas).toCompletableFuture().get(2, TimeUnit.SECONDS);
    }

    @Test
    void tokensOfOneTeamOnTwoNodesShareTheTeamsBudgetsAndARefusalSpendsFromNeither() throws Exception {
        RedisConfig config = Node.config(TestRedis.sharedUrl(), TestRedis.uniquePrefix(), RedisConfig.OnFailure.LOCAL);
        try (Node a = new Node(config); Node b = new Node(config)) {
            Limits own = new Limits(100L, null);
            Limits team = new Limits(5L, 1000L);
            List<Quota> ofA = List.of(Quota.token("a", own), Quota.team("research", team));
            List<Quota> ofB = List.of(Quota.token("b", own), Quota.team("research", team));
            int admitted = 0;
            for (int i = 0; i < 10; i++) {
                admitted += decide(i % 2 == 0 ? a : b, i % 2 == 0 ? ofA : ofB).allowed() ? 1 : 0;
            }
            assertThat(admitted).as("5 per minute for the team, across both tokens and both nodes").isEqualTo(5);

            Decision refused = decide(b, ofB);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.exhausted()).isEqualTo(Decision.Budget.REQUESTS);
            assertThat(refused.over()).isEqualTo(Quota.team("research", team));
            assertThat(refused.retryAfterSeconds()).isBetween(1L, 12L);
            assertThat(state(refused, Decision.Budget.REQUESTS).limit()).as("the tighter: the team's").isEqualTo(5L);
            assertThat(state(refused, Decision.Budget.TOKENS).remaining()).isEqualTo(1000L);
            Decision ownOnly = decide(b, List.of(Quota.token("b", own)));
            assertThat(state(ownOnly, Decision.Budget.REQUESTS).remaining())
                    .as("b's own bucket: admitted twice, this once, never for the refusals (refilled by at most two"
                            + " while the test runs)").isBetween(97L, 99L);

            a.limiter.recordTokens(ofA, 1200);
            long deadline = System.currentTimeMillis() + 2_000;
            Decision overTokens;
            do {
                overTokens = decide(b, List.of(Quota.token("b", Limits.NONE), Quota.team("research", new Limits(null, 1000L))));
                Thread.sleep(overTokens.allowed() ? 20 : 0);
            } while (overTokens.allowed() && System.currentTimeMillis() < deadline);
            assertThat(overTokens.allowed()).as("a's tokens, counted on node a, hold back b on node b").isFalse();
            assertThat(overTokens.exhausted()).isEqualTo(Decision.Budget.TOKENS);
            assertThat(overTokens.over().scope()).isEqualTo(Quota.Scope.TEAM);
            assertThat(decide(a, "research", new Limits(1L, 1L)).allowed())
                    .as("a token named like the team has buckets of its own").isTrue();
            assertThat(a.fallbacks("limits") + b.fallbacks("limits")).as("all decided in Redis").isZero();
        }
    }

    private static void awaitTokensLeft(Node node, Limits limits, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 2_000;
        long left;
        do {
            Decision decision = decide(node, "t", new Limits(1_000_000L, limits.tpm()));
            left = decision.budgets().stream().filter(s -> s.budget() == Decision.Budget.TOKENS).findFirst()
                    .map(s -> decision.allowed() ? s.remaining() : -s.limit()).orElseThrow();
            if (expected <= 0 ? !decision.allowed() : Math.abs(left - expected) <= 2) {
                return;
            }
            Thread.sleep(20);
        } while (System.currentTimeMillis() < deadline);
        assertThat(left).as("tokens left").isEqualTo(expected);
    }

    @Test
    void aRedisThatStopsAnsweringIsWaitedForNoLongerThanTheTimeoutAndTheNodeGoesOnAlone() throws Exception {
        try (TestRedis.Owned redis = TestRedis.own(); Node node = new Node(new RedisConfig(redis.url(), 100,
                RedisConfig.OnFailure.LOCAL, TestRedis.uniquePrefix()))) {
            Limits limits = new Limits(3L, null);
            assertThat(decide(node, "t", limits).allowed()).isTrue();
            assertThat(node.redisUp()).isEqualTo(1);

            pauseClients(redis.port(), 3_000);
            long start = System.nanoTime();
            Decision alone = decide(node, "t", limits);
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(alone.allowed()).as("the node's own bucket, whole").isTrue();
            assertThat(state(alone, Decision.Budget.REQUESTS).remaining()).isEqualTo(2);
            assertThat(waitedMillis).as("one command timeout (100 ms), then alone").isLessThan(1_000);
            assertThat(node.store.isUp()).isFalse();
            assertThat(node.redisUp()).isZero();
            assertThat(node.outages()).isEqualTo(1);

            start = System.nanoTime();
            decide(node, "t", limits);
            decide(node, "t", limits);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("no wait at all during the outage")
                    .isLessThan(100);
            assertThat(node.fallbacks("limits")).isEqualTo(3);
            assertThat(node.outages()).as("one outage, counted once").isEqualTo(1);

            awaitUp(node, 6_000);
            int admitted = 0;
            for (int i = 0; i < 3; i++) {
                admitted += decide(node, "t", limits).allowed() ? 1 : 0;
            }
            // Redis's bucket again: one request spent before the pause, and the one that timed out
            // may have run once the pause ended (a timed-out command is not taken back).
            assertThat(admitted).isBetween(1, 2);
        }
    }

    @Test
    void aKilledRedisIsPickedUpAgainWhenItComesBack() throws Exception {
        try (TestRedis.Owned redis = TestRedis.own(); Node node = new Node(Node.config(redis.url(),
                TestRedis.uniquePrefix(), RedisConfig.OnFailure.LOCAL))) {
            Limits limits = new Limits(2L, null);
            assertThat(decide(node, "t", limits).allowed()).isTrue();

            redis.stop();
            assertThat(decide(node, "t", limits).allowed()).as("alone, from a whole bucket").isTrue();
            assertThat(decide(node, "t", limits).allowed()).isTrue();
            assertThat(decide(node, "t", limits).allowed()).isFalse();
            assertThat(node.outages()).isEqualTo(1);

            redis.start();
            awaitUp(node, 6_000);
            assertThat(decide(node, "t", limits).allowed()).as("a new, empty Redis: a whole bucket").isTrue();
            assertThat(node.redisUp()).isEqualTo(1);
        }
    }

    @Test
    void inRejectModeALimitedTokenIsRefusedWhileRedisIsAwayAndAnUnlimitedOneIsNot() throws Exception {
        try (TestRedis.Owned redis = TestRedis.own(); Node node = new Node(Node.config(redis.url(),
                TestRedis.uniquePrefix(), RedisConfig.OnFailure.REJECT))) {
            assertThat(decide(node, "t", new Limits(5L, null)).allowed()).isTrue();
            redis.stop();

            CompletableFuture<Decision> refused = node.limiter.acquire("t", new Limits(5L, null)).toCompletableFuture();
            assertThatThrownBy(() -> refused.get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StoreUnavailable.class);
            assertThat(decide(node, "free", Limits.NONE)).isSameAs(Decision.UNLIMITED);
        }
    }

    @Test
    void anAclUserWithTheDocumentedCommandsAndAPasswordInTheUrlWorkAndAWrongPasswordLeavesTheNodeAlone() throws Exception {
        String password = "pw-" + TestRedis.uniquePrefix().substring(18, 26);
        // Only the commands docs/operations.md lists (the scripts' own included), on any key.
        try (TestRedis.Owned redis = TestRedis.own("user gateway on >" + password + " ~* +evalsha +eval +time +get +set"
                + " +hset +hgetall +pexpire +ping +hello +auth +client", "user default off")) {
            String url = "redis://gateway:" + password + "@127.0.0.1:" + redis.port();
            try (Node node = new Node(Node.config(url, TestRedis.uniquePrefix(), RedisConfig.OnFailure.LOCAL))) {
                assertThat(node.store.isUp()).isTrue();
                assertThat(decide(node, "t", new Limits(1L, null)).allowed()).isTrue();
                assertThat(decide(node, "t", new Limits(1L, null)).allowed()).isFalse();
                assertThat(node.fallbacks("limits")).isZero();
            }
            String wrong = "redis://gateway:not-" + password + "@127.0.0.1:" + redis.port();
            try (Node node = new Node(Node.config(wrong, TestRedis.uniquePrefix(), RedisConfig.OnFailure.LOCAL))) {
                assertThat(node.store.isUp()).isFalse();
                assertThat(decide(node, "t", new Limits(1L, null)).allowed()).as("alone").isTrue();
            }
        }
    }

    @Test
    void thePasswordIsFoundInEachFormOfTheUrl() {
        assertThat(RedisStore.password("redis://user:p%40ss:word@h:6379/0")).isEqualTo("p%40ss:word");
        assertThat(RedisStore.password("redis://secret@h")).isEqualTo("secret");
        assertThat(RedisStore.password("rediss://:secret@h:6380")).isEqualTo("secret");
        assertThat(RedisStore.password("redis-sentinel://:secret@s1:26379,s2:26379#mymaster")).isEqualTo("secret");
        assertThat(RedisStore.password("redis://h:6379")).isEmpty();
    }

    /** CLIENT PAUSE on a connection of its own: every client's commands wait, as on an overloaded Redis. */
    static void pauseClients(int port, long millis) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("CLIENT PAUSE " + millis + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[5];
            socket.getInputStream().readNBytes(reply, 0, 5);
            assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
        }
    }

    static void awaitUp(Node node, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!node.store.isUp() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(node.store.isUp()).as("Redis picked up again").isTrue();
    }
}
