package dev.switchboard.telemetry;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.MemoryUsage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * {@code jvm_memory_pool_allocated_bytes_total}: bytes allocated in each memory pool, counted from
 * the garbage collectors' notifications (so it moves at each collection only). The Prometheus
 * client's own {@code JvmMemoryPoolAllocationMetrics} listens to the JVM-wide collector beans and
 * never stops, which keeps an undeployed application's class loader; this one stops listening on
 * {@link #close} (docs/operations.md#stopping). Shared; one per {@link GatewayMetrics}.
 */
final class PoolAllocations implements NotificationListener {
    static final String NAME = "jvm_memory_pool_allocated_bytes_total";

    private final Counter allocated;
    private final List<GarbageCollectorMXBean> collectors;
    /** Each pool's use after the last collection; guarded by {@code this}. */
    private final Map<String, Long> usedAfterLast = new HashMap<>();

    private PoolAllocations(Counter allocated, List<GarbageCollectorMXBean> collectors) {
        this.allocated = allocated;
        this.collectors = collectors;
    }

    /** Registers the counter in {@code registry} and starts listening to {@code collectors}. */
    static PoolAllocations start(PrometheusRegistry registry, List<GarbageCollectorMXBean> collectors) {
        Counter allocated = Counter.builder().name(NAME)
                .help("Bytes allocated in each JVM memory pool, counted at garbage collections")
                .labelNames("pool").withoutExemplars().register(registry);
        PoolAllocations allocations = new PoolAllocations(allocated, List.copyOf(collectors));
        for (GarbageCollectorMXBean collector : allocations.collectors) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(allocations, null, null);
            }
        }
        return allocations;
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GcInfo collection;
        try {
            collection = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
        } catch (RuntimeException unreadable) {
            // Not the content a collection notification has: nothing to count.
            return;
        }
        Map<String, MemoryUsage> after = collection.getMemoryUsageAfterGc();
        collection.getMemoryUsageBeforeGc().forEach((pool, before) -> {
            MemoryUsage afterUsage = after.get(pool);
            if (afterUsage != null) {
                collected(pool, before.getUsed(), afterUsage.getUsed());
            }
        });
    }

    /**
     * One collection of {@code pool}: what it grew by since the last collection ended (objects
     * allocated in between) plus what it grew by during this one (objects promoted into it);
     * a pool that shrank allocated nothing.
     */
    synchronized void collected(String pool, long usedBefore, long usedAfter) {
        Long previous = usedAfterLast.put(pool, usedAfter);
        long sinceLast = Math.max(0, usedBefore - (previous == null ? 0 : previous));
        long during = Math.max(0, usedAfter - usedBefore);
        if (sinceLast + during > 0) {
            allocated.labelValues(pool).inc(sinceLast + during);
        }
    }

    /** Stops listening to the collectors. */
    void close() {
        for (GarbageCollectorMXBean collector : collectors) {
            if (collector instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(this);
                } catch (ListenerNotFoundException alreadyRemoved) {
                    // Closed twice: nothing left to remove.
                }
            }
        }
    }
}
