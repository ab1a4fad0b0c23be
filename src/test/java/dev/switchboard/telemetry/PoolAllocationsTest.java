package dev.switchboard.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PoolAllocationsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();

    private Map<String, Double> allocated() {
        return registry.scrape().stream()
                .filter(snapshot -> snapshot.getMetadata().getName().equals("jvm_memory_pool_allocated_bytes"))
                .flatMap(snapshot -> ((CounterSnapshot) snapshot).getDataPoints().stream())
                .collect(Collectors.toMap(point -> point.getLabels().get("pool"), CounterSnapshot.CounterDataPointSnapshot::getValue));
    }

    @Test
    void closeRemovesTheListenerItAddedToEachCollector() {
        ListenedCollector young = new ListenedCollector();
        ListenedCollector old = new ListenedCollector();

        PoolAllocations allocations = PoolAllocations.start(registry, List.of(young, old));
        assertThat(young.listeners).containsExactly(allocations);
        assertThat(old.listeners).containsExactly(allocations);

        allocations.close();
        assertThat(young.listeners).isEmpty();
        assertThat(old.listeners).isEmpty();
        allocations.close();
    }

    @Test
    void countsWhatEachPoolGrewBetweenCollectionsAndDuringThem() {
        PoolAllocations allocations = PoolAllocations.start(registry, List.of());

        allocations.collected("eden", 100, 10);
        allocations.collected("old", 10, 30);
        allocations.collected("eden", 60, 5);
        allocations.collected("old", 25, 25);

        // eden: 100 before the first collection, then 60 - 10; old: 20 promoted, then it shrank.
        assertThat(allocated()).isEqualTo(Map.of("eden", 150.0, "old", 30.0));
    }

    @Test
    void countsFromTheJvmsOwnCollectionNotifications() throws Exception {
        PoolAllocations allocations = PoolAllocations.start(registry, ManagementFactory.getGarbageCollectorMXBeans());
        try {
            long deadline = System.currentTimeMillis() + 10_000;
            while (allocated().isEmpty() && System.currentTimeMillis() < deadline) {
                byte[][] garbage = new byte[64][];
                for (int i = 0; i < garbage.length; i++) {
                    garbage[i] = new byte[64 * 1024];
                }
                System.gc();
                Thread.sleep(50);
            }
            assertThat(allocated()).as("allocations counted after a collection").isNotEmpty();
        } finally {
            allocations.close();
        }
    }
}
