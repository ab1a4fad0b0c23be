package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.ProviderConnector;
import dev.switchboard.provider.RecordingSink;
import dev.switchboard.provider.http.UpstreamErrors;
import dev.switchboard.time.ManualScheduler;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retry and fallback engine with scripted providers and a hand-driven clock: backoff,
 * Retry-After, cooldowns, the commit boundary, cancellation and the final error.
 */
class DispatchTest {
    private static final GatewayConfig CONFIG = ConfigParser.parse(("{"
            + "'providers':{"
            + "  'a':{'type':'openai','baseUrl':'http://a/v1'},"
            + "  'b':{'type':'anthropic','retry':{'attempts':1}},"
            + "  'c':{'type':'gemini','retry':{'attempts':3,'baseMs':100,'capMs':400}}},"
            + "'models':{'ma':{'provider':'a'},'mb':{'provider':'b'},'mc':{'provider':'c'}},"
            + "'aliases':{'all':['ma','mb'],'solo':['ma'],'three':['ma','mb','mc']},"
            + "'retry':{'attempts':2,'baseMs':250,'capMs':5000},"
            + "'cooldown':{'failures':3,'periodMs':30000},"
            + "'tokens':[{'name':'t','token':'test-token-x'}]}").replace('\'', '"'), Map.of(), "test");

    private static final java.util.function.Predicate<String> CALLER = model -> true;

    private final ScriptedConnector providers = new ScriptedConnector();
    private final ManualScheduler scheduler = new ManualScheduler();
    private LocalCooldowns cooldowns;
    private final TargetLoad load = new TargetLoad();
    private Router router;

    @BeforeEach
    void setUp() {
        Map<ProviderType, ProviderConnector> connectors = new EnumMap<>(ProviderType.class);
        for (ProviderType type : ProviderType.values()) {
            connectors.put(type, providers);
        }
        router = new Router(CONFIG, connectors);
        cooldowns = new LocalCooldowns(scheduler.clock());
    }

    private static GatewayError status(int status) {
        return status == 429 ? ErrorKind.UPSTREAM_RATE_LIMITED.error("slow down").withRetryAfter("2")
                : status == 503 ? ErrorKind.UPSTREAM_OVERLOADED.error("overloaded")
                : status == 400 ? ErrorKind.INVALID_REQUEST.error("bad")
                : ErrorKind.UPSTREAM_ERROR.error("boom " + status);
    }

    private Dispatch dispatch(String model, RecordingSink client) {
        byte[] body = ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        ChatRequest request = ChatRequestParser.parse(body, body.length);
        return new Dispatch(router.resolve(model, CALLER), request, "req_test", client, cooldowns, load, scheduler, new SplittableRandom(7), AttemptObserver.NONE);
    }

    @Test
    void aServerErrorIsRetriedOnTheSameTargetAfterABackoff() {
        providers.script("ma", ScriptedConnector.fails(status(500)), ScriptedConnector.completes("ok"));
        RecordingSink client = new RecordingSink();
        Dispatch dispatch = dispatch("solo", client);

        dispatch.start();
        assertThat(providers.calls).containsExactly("ma");
        assertThat(scheduler.pendingDelaysMillis()).singleElement().satisfies(
                delay -> assertThat(delay).isBetween(125L, 250L));
        scheduler.advance(250, TimeUnit.MILLISECONDS);

        assertThat(providers.calls).containsExactly("ma", "ma");
        assertThat(client.calls()).containsExactly("completion");
        assertThat(dispatch.attempts()).isEqualTo(2);
    }

    @Test
    void retryAfterIsHonouredUpToTheCapAndALongerWaitMovesOn() {
        providers.script("ma", ScriptedConnector.fails(status(429), 1500), ScriptedConnector.completes("ok"));
        RecordingSink client = new RecordingSink();
        dispatch("all", client).start();
        assertThat(scheduler.pendingDelaysMillis()).containsExactly(1500L);
        scheduler.advance(1499, TimeUnit.MILLISECONDS);
        assertThat(providers.calls).containsExactly("ma");
        scheduler.advance(1, TimeUnit.MILLISECONDS);
        assertThat(providers.calls).containsExactly("ma", "ma");

        providers.calls.clear();
        providers.script("ma", ScriptedConnector.fails(status(429), 60_000));
        RecordingSink second = new RecordingSink();
        dispatch("all", second).start();
        assertThat(providers.calls).as("a 60 s Retry-After is over the 5 s cap: next target at once")
                .containsExactly("ma", "mb");
        assertThat(scheduler.pendingDelaysMillis()).isEmpty();
        assertThat(second.calls()).containsExactly("completion");
    }

    @Test
    void aCancelReachesTheAttemptStartedWhileTheFailedOneWasStillStarting() {
        // The first target fails inside start() (as a refused connection may, on the I/O thread),
        // so the second starts before the first start() has returned.
        providers.script("ma", ScriptedConnector.fails(status(429), 60_000));
        providers.script("mb", ScriptedConnector.hangs());
        Dispatch dispatch = dispatch("all", new RecordingSink());
        dispatch.start();
        assertThat(providers.calls).containsExactly("ma", "mb");

        dispatch.cancel();

        assertThat(providers.cancelled).as("cancelled, per call").containsExactly(false, true);
    }

    @Test
    void backoffDoublesUpToTheCap() {
        providers.script("mc", ScriptedConnector.fails(status(502)), ScriptedConnector.fails(status(502)),
                ScriptedConnector.completes("ok"));
        RecordingSink client = new RecordingSink();
        Dispatch onlyC = new Dispatch(router.resolve("mc", CALLER), parse("mc"), "req_test", client, cooldowns, load, scheduler, new SplittableRandom(1), AttemptObserver.NONE);
        onlyC.start();
        assertThat(scheduler.pendingDelaysMillis()).singleElement().satisfies(d -> assertThat(d).isBetween(50L, 100L));
        scheduler.advance(100, TimeUnit.MILLISECONDS);
        assertThat(scheduler.pendingDelaysMillis()).singleElement().satisfies(d -> assertThat(d).isBetween(100L, 200L));
        scheduler.advance(200, TimeUnit.MILLISECONDS);
        assertThat(client.calls()).containsExactly("completion");
        assertThat(onlyC.attempts()).isEqualTo(3);
    }

    @Test
    void aBadRequestIsNotRetriedAnywhere() {
        providers.script("ma", ScriptedConnector.fails(status(400)));
        RecordingSink client = new RecordingSink();
        Dispatch dispatch = dispatch("all", client);
        dispatch.start();

        assertThat(providers.calls).containsExactly("ma");
        assertThat(client.error().status()).isEqualTo(400);
        assertThat(scheduler.pendingDelaysMillis()).isEmpty();
        assertThat(dispatch.attempts()).isEqualTo(1);
    }

    @Test
    void whenEveryTargetFailsTheClientGetsTheMostInformativeFailureAfterEveryTry() {
        providers.script("ma", ScriptedConnector.fails(status(503)), ScriptedConnector.fails(status(503)));
        providers.script("mb", ScriptedConnector.fails(status(503)));
        RecordingSink client = new RecordingSink();
        Dispatch dispatch = dispatch("all", client);
        dispatch.start();
        scheduler.advance(5, TimeUnit.SECONDS);

        assertThat(providers.calls).containsExactly("ma", "ma", "mb");
        assertThat(client.error().status()).isEqualTo(503);
        assertThat(dispatch.attempts()).isEqualTo(3);

    }

    @Test
    void aRateLimitIsTheFailureTheClientSeesWhenThereWasOne() {
        providers.script("ma", ScriptedConnector.fails(status(502)), ScriptedConnector.fails(status(429), 100));
        providers.script("mb", ScriptedConnector.fails(ErrorKind.UPSTREAM_TIMEOUT.error("slow")));
        RecordingSink client = new RecordingSink();
        dispatch("all", client).start();
        scheduler.advance(5, TimeUnit.SECONDS);

        assertThat(providers.calls).containsExactly("ma", "ma", "mb");
        assertThat(client.error().status()).as("a 429 stays a 429").isEqualTo(429);
        assertThat(client.error().retryAfter()).isEqualTo("2");
    }

    @Test
    void nothingIsRetriedAfterTheStreamHasStarted() {
        providers.script("ma", ScriptedConnector.breaksAfterFirstChunk(status(502)));
        RecordingSink client = new RecordingSink();
        dispatch("all", client).start();
        scheduler.advance(10, TimeUnit.SECONDS);

        assertThat(providers.calls).containsExactly("ma");
        assertThat(client.calls()).containsExactly("streamStart", "chunk {\"chunk\":1}", "fail 502");
    }

    @Test
    void aCancelDuringBackoffStopsEveryFurtherTry() {
        providers.script("ma", ScriptedConnector.fails(status(500)));
        RecordingSink client = new RecordingSink();
        Dispatch dispatch = dispatch("all", client);
        dispatch.start();
        assertThat(scheduler.pendingDelaysMillis()).hasSize(1);

        dispatch.cancel();
        scheduler.advance(10, TimeUnit.SECONDS);

        assertThat(providers.calls).containsExactly("ma");
        assertThat(client.calls()).isEmpty();
    }

    @Test
    void aCancelDuringAnAttemptStopsItAndStartsNoOther() {
        providers.script("ma", ScriptedConnector.hangs());
        RecordingSink client = new RecordingSink();
        Dispatch dispatch = dispatch("all", client);
        dispatch.start();
        dispatch.cancel();
        scheduler.advance(10, TimeUnit.SECONDS);

        assertThat(providers.cancelled).containsExactly(true);
        assertThat(providers.calls).containsExactly("ma");
    }

    @Test
    void aTargetThatFailedThreeTimesInARowWaitsBehindTheOthersUntilItsCooldownEnds() {
        for (int i = 0; i < 3; i++) {
            providers.script("mb", ScriptedConnector.fails(status(503)));
        }
        for (int i = 0; i < 3; i++) {
            dispatch("mb", new RecordingSink()).start();
        }
        Target mb = router.resolve("mb", CALLER).targets().get(0);
        assertThat(cooldowns.isCoolingDown(mb)).isTrue();

        providers.calls.clear();
        providers.script("ma", ScriptedConnector.fails(status(400)));
        RecordingSink client = new RecordingSink();
        Dispatch reversed = new Dispatch(new Route("rev", dev.switchboard.config.AliasConfig.Strategy.FALLBACK,
                List.of(mb, router.resolve("ma", CALLER).targets().get(0)), new int[] {1, 1}), parse("ma"), "req_test", client, cooldowns, load, scheduler, new SplittableRandom(3), AttemptObserver.NONE);
        reversed.start();
        assertThat(providers.calls).as("mb is cooling down: behind ma, whose 400 ends the request").containsExactly("ma");

        scheduler.advance(30_001, TimeUnit.MILLISECONDS);
        assertThat(cooldowns.isCoolingDown(mb)).isFalse();
        providers.calls.clear();
        RecordingSink after = new RecordingSink();
        dispatch("mb", after).start();
        assertThat(providers.calls).containsExactly("mb");
        assertThat(after.calls()).containsExactly("completion");
    }

    @Test
    void aProviderRefusingSwitchboardsKeyMovesOnToTheNextTargetWithoutRetryingIt() {
        providers.script("ma", ScriptedConnector.fails(UpstreamErrors.accountRefused("a", 401, "HTTP 401", "bad key")));
        providers.script("mb", ScriptedConnector.completes("ok"));
        RecordingSink client = new RecordingSink();

        dispatch("all", client).start();

        assertThat(providers.calls).containsExactly("ma", "mb");
        assertThat(client.calls()).containsExactly("completion");
        assertThat(scheduler.pendingDelaysMillis()).as("no backoff for a refused key").isEmpty();
    }

    @Test
    void billingRefusalsPutTheTargetIntoCooldownLikeARefusedKey() {
        GatewayError billing = UpstreamErrors.accountRefused("b", 402, "HTTP 402 billing_error",
                "Your credit balance is too low.");
        for (int i = 0; i < 3; i++) {
            providers.script("mb", ScriptedConnector.fails(billing));
        }
        for (int i = 0; i < 3; i++) {
            RecordingSink client = new RecordingSink();
            dispatch("mb", client).start();
            assertThat(client.error().status()).isEqualTo(402);
        }

        Target mb = router.resolve("mb", CALLER).targets().get(0);
        assertThat(providers.calls).as("not retried: a 402 will not get better").containsExactly("mb", "mb", "mb");
        assertThat(cooldowns.isCoolingDown(mb)).isTrue();
    }

    @Test
    void whenEveryTargetIsCoolingTheOneThatCooledLongestIsTried() {
        Target ma = router.resolve("ma", CALLER).targets().get(0);
        Target mb = router.resolve("mb", CALLER).targets().get(0);
        failThreeTimes(mb);
        scheduler.advance(5, TimeUnit.SECONDS);
        failThreeTimes(ma);
        assertThat(cooldowns.isCoolingDown(ma)).isTrue();
        assertThat(cooldowns.isCoolingDown(mb)).isTrue();

        RecordingSink client = new RecordingSink();
        providers.script("mb", ScriptedConnector.completes("rested"));
        dispatch("all", client).start();

        assertThat(providers.calls).containsExactly("mb");
        assertThat(client.calls()).containsExactly("completion");
    }

    @Test
    void aClientLeavingWhileTheNextTargetIsChosenGivesThatTargetsTrialBack() {
        Target mb = router.resolve("mb", CALLER).targets().get(0);
        failThreeTimes(mb);
        scheduler.advance(30_001, TimeUnit.MILLISECONDS);
        providers.script("ma", ScriptedConnector.fails(status(429), 60_000));
        Dispatch[] dispatch = new Dispatch[1];
        // The client leaves just as the dispatch takes mb's one half-open trial.
        Cooldowns leaving = new Cooldowns() {
            @Override
            public Standing acquire(Target target) {
                Standing standing = cooldowns.acquire(target);
                if (target == mb) {
                    dispatch[0].cancel();
                }
                return standing;
            }

            @Override
            public void onSuccess(Target target) {
                cooldowns.onSuccess(target);
            }

            @Override
            public void onFailure(Target target) {
                cooldowns.onFailure(target);
            }

            @Override
            public void release(Target target) {
                cooldowns.release(target);
            }

            @Override
            public boolean isCoolingDown(Target target) {
                return cooldowns.isCoolingDown(target);
            }

            @Override
            public long cooledSince(Target target) {
                return cooldowns.cooledSince(target);
            }
        };
        dispatch[0] = new Dispatch(router.resolve("all", CALLER), parse("all"), "req_test", new RecordingSink(), leaving, load, scheduler, new SplittableRandom(7), AttemptObserver.NONE);

        dispatch[0].start();

        assertThat(providers.calls).as("nothing started after the client left").containsExactly("ma");
        assertThat(cooldowns.acquire(mb)).as("mb's trial was given back, not lost with the request")
                .isEqualTo(Cooldowns.Standing.TRIAL);
    }

    @Test
    void aBadRequestNeitherEndsACooldownTrialNorCountsForTheTarget() {
        Target mb = router.resolve("mb", CALLER).targets().get(0);
        failThreeTimes(mb);
        scheduler.advance(30_001, TimeUnit.MILLISECONDS);
        providers.script("mb", ScriptedConnector.fails(status(400)));

        RecordingSink client = new RecordingSink();
        dispatch("mb", client).start();
        assertThat(client.error().status()).isEqualTo(400);

        // Still on trial: its next real failure cools it down again at once.
        assertThat(cooldowns.acquire(mb)).isEqualTo(Cooldowns.Standing.TRIAL);
        cooldowns.onFailure(mb);
        assertThat(cooldowns.isCoolingDown(mb)).isTrue();
    }

    // The three cases of issue 14: each answered 502, 504 or avoided a healthy target before.

    @Test
    void aCooldownThatOpensDuringARequestLeavesItsRemainingAttemptsWhenNoOtherTargetIsLeft() {
        providers.script("ma", ScriptedConnector.fails(status(500)), ScriptedConnector.fails(status(500)));
        RecordingSink earlier = new RecordingSink();
        dispatch("solo", earlier).start();
        scheduler.advance(5, TimeUnit.SECONDS);
        assertThat(earlier.error().status()).as("an incident: two failures in a row").isEqualTo(502);

        providers.calls.clear();
        providers.script("ma", ScriptedConnector.fails(status(500)), ScriptedConnector.completes("ok"));
        RecordingSink client = new RecordingSink();
        dispatch("solo", client).start();
        scheduler.advance(5, TimeUnit.SECONDS);

        assertThat(providers.calls).as("the third failure opens the cooldown; the second try still happens")
                .containsExactly("ma", "ma");
        assertThat(client.calls()).containsExactly("completion");
    }

    @Test
    void aCoolingTargetLeftAloneWaitsOutARetryAfterAndTriesAgain() {
        Target ma = router.resolve("ma", CALLER).targets().get(0);
        failThreeTimes(ma);
        assertThat(cooldowns.isCoolingDown(ma)).isTrue();
        providers.script("ma", ScriptedConnector.fails(status(429), 1000), ScriptedConnector.completes("ok"));

        RecordingSink client = new RecordingSink();
        dispatch("solo", client).start();
        assertThat(scheduler.pendingDelaysMillis()).containsExactly(1000L);
        scheduler.advance(1000, TimeUnit.MILLISECONDS);

        assertThat(providers.calls).containsExactly("ma", "ma");
        assertThat(client.calls()).containsExactly("completion");
    }

    @Test
    void aCoolingTargetIsTriedAfterTheHealthyOnesInsteadOfBeingSkipped() {
        Target mb = router.resolve("mb", CALLER).targets().get(0);
        failThreeTimes(mb);
        providers.script("ma", ScriptedConnector.fails(ErrorKind.UPSTREAM_TIMEOUT.error("slow")),
                ScriptedConnector.fails(ErrorKind.UPSTREAM_TIMEOUT.error("slow")));

        RecordingSink client = new RecordingSink();
        dispatch("all", client).start();
        scheduler.advance(5, TimeUnit.SECONDS);

        assertThat(providers.calls).containsExactly("ma", "ma", "mb");
        assertThat(client.calls()).containsExactly("completion");
    }

    @Test
    void aSuccessEndsTheCooldownAtOnceSoTheTargetGetsItsPlaceBack() {
        Target ma = router.resolve("ma", CALLER).targets().get(0);
        failThreeTimes(ma);
        RecordingSink forced = new RecordingSink();
        dispatch("solo", forced).start();
        assertThat(forced.calls()).containsExactly("completion");
        assertThat(cooldowns.isCoolingDown(ma)).as("it just answered").isFalse();

        providers.calls.clear();
        RecordingSink client = new RecordingSink();
        dispatch("all", client).start();
        assertThat(providers.calls).as("the first target again, not its fallback").containsExactly("ma");
    }

    @Test
    void whenEveryTargetIsCoolingEachIsTriedTheLongestCooledFirst() {
        Target ma = router.resolve("ma", CALLER).targets().get(0);
        Target mb = router.resolve("mb", CALLER).targets().get(0);
        failThreeTimes(mb);
        scheduler.advance(5, TimeUnit.SECONDS);
        failThreeTimes(ma);
        providers.script("mb", ScriptedConnector.fails(status(503)));
        providers.script("ma", ScriptedConnector.fails(status(503)), ScriptedConnector.completes("ok"));

        RecordingSink client = new RecordingSink();
        dispatch("all", client).start();
        scheduler.advance(5, TimeUnit.SECONDS);

        assertThat(providers.calls).as("mb rested longest; then ma, with its retry").containsExactly("mb", "ma", "ma");
        assertThat(client.calls()).containsExactly("completion");
    }

    @Test
    void anUnusableAnswerMovesOnToTheNextTargetWithoutRetryingIt() {
        providers.script("ma", ScriptedConnector.fails(ErrorKind.UPSTREAM_BAD_RESPONSE.error("a redirect")));
        RecordingSink client = new RecordingSink();

        dispatch("all", client).start();

        assertThat(providers.calls).containsExactly("ma", "mb");
        assertThat(client.calls()).containsExactly("completion");
        assertThat(scheduler.pendingDelaysMillis()).isEmpty();
    }

    @Test
    void aCooldownOpeningDuringARequestMovesItOnWhenAHealthyTargetIsLeft() {
        Target ma = router.resolve("ma", CALLER).targets().get(0);
        cooldowns.acquire(ma);
        cooldowns.onFailure(ma);
        cooldowns.acquire(ma);
        cooldowns.onFailure(ma);
        providers.script("ma", ScriptedConnector.fails(status(500)));

        RecordingSink client = new RecordingSink();
        dispatch("all", client).start();

        assertThat(providers.calls).as("no backoff on a target that just started cooling").containsExactly("ma", "mb");
        assertThat(client.calls()).containsExactly("completion");
    }

    @Test
    void aTrialGoesToTheFirstRequestAfterThePeriodAndItsSuccessClosesTheCooldown() {
        Target ma = router.resolve("ma", CALLER).targets().get(0);
        failThreeTimes(ma);
        scheduler.advance(30_001, TimeUnit.MILLISECONDS);

        RecordingSink client = new RecordingSink();
        dispatch("all", client).start();

        assertThat(providers.calls).as("the trial, in its place").containsExactly("ma");
        assertThat(cooldowns.acquire(ma)).isEqualTo(Cooldowns.Standing.HEALTHY);
    }

    @Test
    void leastBusyStartsWithTheTargetWithFewestAttemptsInFlight() {
        Route busy = new Route("busy", dev.switchboard.config.AliasConfig.Strategy.LEAST_BUSY,
                List.of(target("ma"), target("mb")), new int[] {1, 1});
        providers.script("ma", ScriptedConnector.hangs());
        Dispatch first = new Dispatch(busy, parse("busy"), "req_1", new RecordingSink(), cooldowns, load, scheduler,
                new SplittableRandom(1), AttemptObserver.NONE);
        first.start();
        RecordingSink second = new RecordingSink();
        new Dispatch(busy, parse("busy"), "req_2", second, cooldowns, load, scheduler, new SplittableRandom(1),
                AttemptObserver.NONE).start();
        assertThat(providers.calls).as("ma holds one attempt: mb first").containsExactly("ma", "mb");

        first.cancel();
        new Dispatch(busy, parse("busy"), "req_3", new RecordingSink(), cooldowns, load, scheduler,
                new SplittableRandom(1), AttemptObserver.NONE).start();
        assertThat(providers.calls).as("a cancelled attempt is no longer in flight").containsExactly("ma", "mb", "ma");
    }

    @Test
    void leastLatencyStartsWithTheTargetThatAnsweredFastest() {
        Route fastest = new Route("fast", dev.switchboard.config.AliasConfig.Strategy.LEAST_LATENCY,
                List.of(target("ma"), target("mb")), new int[] {1, 1});
        // Each target answers once, ma after 300 ms and mb after 100 ms (each unmeasured one goes first).
        answerAfter(fastest, "ma", 300);
        answerAfter(fastest, "mb", 100);
        providers.calls.clear();

        java.util.Map<String, Integer> firsts = new java.util.HashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++) {
            firsts.merge(fastest.order(random, load).get(0).model().id(), 1, Integer::sum);
        }
        assertThat(firsts.get("mb")).as("the faster one, but for exploration").isBetween(960, 990);
        assertThat(firsts.get("ma")).as("explored now and then").isBetween(10, 40);
    }

    private void answerAfter(Route route, String model, long millis) {
        providers.script(model, ScriptedConnector.hangs());
        CapturingConnector capture = new CapturingConnector(providers);
        Target target = route.targets().stream().filter(t -> t.model().id().equals(model)).findFirst().orElseThrow();
        Route single = Route.single(model, new Target(target.model(), target.provider(), capture));
        new Dispatch(single, parse(model), "req_" + model, new RecordingSink(), cooldowns, load, scheduler,
                new SplittableRandom(1), AttemptObserver.NONE).start();
        scheduler.advance(millis, TimeUnit.MILLISECONDS);
        capture.sink.completion("{}".getBytes(StandardCharsets.UTF_8), null);
    }

    /** Keeps the sink of the attempt it starts, so that the test decides when it answers. */
    private static final class CapturingConnector implements ProviderConnector {
        private final ProviderConnector delegate;
        dev.switchboard.provider.ResponseSink sink;

        CapturingConnector(ProviderConnector delegate) {
            this.delegate = delegate;
        }

        @Override
        public dev.switchboard.provider.Attempt start(dev.switchboard.provider.ProviderCall call,
                                                      dev.switchboard.provider.ResponseSink sink) {
            this.sink = sink;
            return delegate.start(call, sink);
        }
    }

    private Target target(String model) {
        return router.resolve(model, CALLER).targets().get(0);
    }

    private void failThreeTimes(Target target) {
        for (int i = 0; i < 3; i++) {
            assertThat(cooldowns.acquire(target)).isEqualTo(Cooldowns.Standing.HEALTHY);
            cooldowns.onFailure(target);
        }
    }

    private static ChatRequest parse(String model) {
        byte[] body = ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(body, body.length);
    }
}
