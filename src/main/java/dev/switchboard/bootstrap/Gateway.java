package dev.switchboard.bootstrap;

import dev.switchboard.time.Scheduler;
import jakarta.servlet.ServletContext;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running application as the servlets and filters see it: the current {@link Snapshot} and
 * the shared timer. One per deployed context, held as a context attribute.
 */
public final class Gateway {
    static final String ATTRIBUTE = Gateway.class.getName();

    private final AtomicReference<Snapshot> snapshot;
    private final Scheduler scheduler;

    Gateway(Snapshot snapshot, Scheduler scheduler) {
        this.snapshot = new AtomicReference<>(snapshot);
        this.scheduler = scheduler;
    }

    public static Gateway from(ServletContext context) {
        Gateway gateway = (Gateway) context.getAttribute(ATTRIBUTE);
        if (gateway == null) {
            throw new IllegalStateException("Switchboard did not start; see the log line above for why");
        }
        return gateway;
    }

    public Snapshot snapshot() {
        return snapshot.get();
    }

    void replace(Snapshot next) {
        snapshot.set(next);
    }

    public Scheduler scheduler() {
        return scheduler;
    }
}
