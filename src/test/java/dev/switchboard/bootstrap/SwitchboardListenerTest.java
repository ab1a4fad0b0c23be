package dev.switchboard.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigLocator;
import dev.switchboard.telemetry.ListenedCollector;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        ListenedCollector collector = new ListenedCollector();

        assertThatThrownBy(() -> new SwitchboardListener(List.of(collector))
                .contextInitialized(new ServletContextEvent(context)))
                .isInstanceOf(SwitchboardListener.StartupFailure.class)
                .hasMessageContaining("redis.url");

        assertThat(collector.added).as("the metrics listened to the collector").isOne();
        assertThat(collector.listeners).as("listeners left on the collector").isEmpty();
    }
}
