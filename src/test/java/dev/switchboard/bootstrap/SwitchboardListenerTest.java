package dev.switchboard.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigLocator;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails closes what it opened (docs/operations.md#stopping), without a container and without sockets. */
class SwitchboardListenerTest {
    @TempDir
    Path dir;

    @Test
    void aStartThatFailsOnItsRedisSectionStopsListeningToTheCollectors() throws Exception {
        // Passes the parser (redis://) but not Lettuce's reading of it: the start fails after the metrics exist.
        Path config = Files.writeString(dir.resolve("switchboard.json"), """
                {"providers": {"p": {"type": "openai", "baseUrl": "http://upstream.invalid/v1", "apiKey": "sk-test"}},
                 "models": {"m": {"provider": "p"}},
                 "tokens": [{"name": "t", "token": "secret-token-1"}],
                 "redis": {"url": "redis://redis.invalid:6379/not-a-database"}}
                """);
        ServletContext context = (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getInitParameter" -> ConfigLocator.CONTEXT_PARAMETER.equals(args[0]) ? config.toString() : null;
                    case "getContextPath" -> "";
                    default -> null;
                });
        Collector collector = new Collector();

        assertThatThrownBy(() -> new SwitchboardListener(List.of(collector))
                .contextInitialized(new ServletContextEvent(context)))
                .isInstanceOf(SwitchboardListener.StartupFailure.class)
                .hasMessageContaining("redis.url");

        assertThat(collector.added).as("the metrics listened to the collector").isOne();
        assertThat(collector.listeners).as("listeners left on the collector").isEmpty();
    }

    /** A collector bean that records who listens to it. */
    private static final class Collector implements GarbageCollectorMXBean, NotificationEmitter {
        final List<NotificationListener> listeners = new ArrayList<>();
        int added;

        @Override
        public void addNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback) {
            listeners.add(listener);
            added++;
        }

        @Override
        public void removeNotificationListener(NotificationListener listener) throws ListenerNotFoundException {
            if (!listeners.removeIf(registered -> registered == listener)) {
                throw new ListenerNotFoundException();
            }
        }

        @Override
        public void removeNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback)
                throws ListenerNotFoundException {
            removeNotificationListener(listener);
        }

        @Override
        public MBeanNotificationInfo[] getNotificationInfo() {
            return new MBeanNotificationInfo[0];
        }

        @Override
        public long getCollectionCount() {
            return 0;
        }

        @Override
        public long getCollectionTime() {
            return 0;
        }

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public String[] getMemoryPoolNames() {
            return new String[0];
        }

        @Override
        public ObjectName getObjectName() {
            return null;
        }
    }
}
