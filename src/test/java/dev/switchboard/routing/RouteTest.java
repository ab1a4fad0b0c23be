package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.AliasConfig.Strategy;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Which target a route tries first, by strategy; the rest always follow in listed order. */
class RouteTest {
    private static final ProviderConfig PROVIDER = ProviderConfig.of("p", ProviderType.ECHO, null, null, Map.of());
    private static final Target A = target("a");
    private static final Target B = target("b");
    private static final Target C = target("c");

    private static Target target(String id) {
        return new Target(new ModelConfig(id, "p", id, null), PROVIDER, new ScriptedConnector());
    }

    private static final TargetLoad LOAD = new TargetLoad();

    private static List<String> ids(List<Target> targets) {
        return targets.stream().map(t -> t.model().id()).toList();
    }

    @Test
    void fallbackAlwaysStartsWithTheFirst() {
        Route route = new Route("x", Strategy.FALLBACK, List.of(A, B, C), new int[] {1, 1, 1});
        for (int i = 0; i < 5; i++) {
            assertThat(ids(route.order(new SplittableRandom(i), LOAD))).containsExactly("a", "b", "c");
        }
    }

    @Test
    void roundRobinTakesEachInTurnAndKeepsTheOthersAsFallbacks() {
        Route route = new Route("x", Strategy.ROUND_ROBIN, List.of(A, B, C), new int[] {1, 1, 1});
        SplittableRandom random = new SplittableRandom(1);
        assertThat(ids(route.order(random, LOAD))).containsExactly("a", "b", "c");
        assertThat(ids(route.order(random, LOAD))).containsExactly("b", "a", "c");
        assertThat(ids(route.order(random, LOAD))).containsExactly("c", "a", "b");
        assertThat(ids(route.order(random, LOAD))).containsExactly("a", "b", "c");
    }

    @Test
    void weightedPicksInProportionToTheWeights() {
        Route route = new Route("x", Strategy.WEIGHTED, List.of(A, B, C), new int[] {6, 3, 1});
        SplittableRandom random = new SplittableRandom(20261125);
        Map<String, Integer> firsts = new HashMap<>();
        int picks = 100_000;
        for (int i = 0; i < picks; i++) {
            List<Target> order = route.order(random, LOAD);
            firsts.merge(order.get(0).model().id(), 1, Integer::sum);
            assertThat(order).hasSize(3).containsExactlyInAnyOrder(A, B, C);
        }
        assertThat(firsts.get("a") / (double) picks).isCloseTo(0.6, org.assertj.core.data.Offset.offset(0.01));
        assertThat(firsts.get("b") / (double) picks).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.01));
        assertThat(firsts.get("c") / (double) picks).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.01));
    }
}
