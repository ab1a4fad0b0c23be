package dev.switchboard.bootstrap;

import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLocator;
import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.DefaultConfig;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.provider.ProviderConnector;
import dev.switchboard.provider.anthropic.AnthropicConnector;
import dev.switchboard.provider.echo.EchoConnector;
import dev.switchboard.provider.gemini.GeminiConnector;
import dev.switchboard.provider.openai.OpenAiConnector;
import dev.switchboard.limits.LocalRateLimiter;
import dev.switchboard.routing.CircuitBreakerCooldowns;
import dev.switchboard.routing.Router;
import dev.switchboard.time.ExecutorScheduler;
import dev.switchboard.upstream.UpstreamClient;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.apache.hc.core5.util.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops Switchboard with its web application: loads the configuration, builds the one
 * HTTP client, the connectors and the router, and closes them again. An unusable configuration
 * stops the deployment with one log line naming the field: never a half-started gateway.
 */
public final class SwitchboardListener implements ServletContextListener {
    private static final Logger LOG = LoggerFactory.getLogger("switchboard");

    /** How long in-flight upstream exchanges may run on when the application stops. */
    static final TimeValue CLOSE_GRACE = TimeValue.ofSeconds(5);

    private ExecutorScheduler scheduler;
    private UpstreamClient upstreamClient;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        GatewayConfig config;
        try {
            config = loadConfig();
        } catch (ConfigException e) {
            LOG.error("Switchboard configuration is invalid, not starting: {}", e.getMessage());
            throw new StartupFailure("Switchboard configuration is invalid: " + e.getMessage());
        }
        scheduler = new ExecutorScheduler();
        upstreamClient = new UpstreamClient();
        Map<ProviderType, ProviderConnector> connectors = connectors(upstreamClient, scheduler);
        Snapshot snapshot = new Snapshot(config, new Router(config, connectors), new TokenVerifier(config.tokens()),
                System.currentTimeMillis() / 1000);
        event.getServletContext().setAttribute(Gateway.ATTRIBUTE, new Gateway(snapshot, scheduler,
                new CircuitBreakerCooldowns(Clock.systemUTC()), new LocalRateLimiter()));
        LOG.info("Switchboard started: {} provider(s) {}, {} model(s), aliases {}, {} token(s); configuration from {}",
                config.providers().size(), config.providers().keySet(), config.models().size(),
                config.aliases().keySet(), config.tokens().size(), config.source());
    }

    static Map<ProviderType, ProviderConnector> connectors(UpstreamClient client, ExecutorScheduler scheduler) {
        Map<ProviderType, ProviderConnector> connectors = new EnumMap<>(ProviderType.class);
        connectors.put(ProviderType.OPENAI, new OpenAiConnector(client, scheduler));
        connectors.put(ProviderType.ANTHROPIC, new AnthropicConnector(client, scheduler));
        connectors.put(ProviderType.GEMINI, new GeminiConnector(client, scheduler));
        connectors.put(ProviderType.ECHO, new EchoConnector());
        return connectors;
    }

    private GatewayConfig loadConfig() {
        Map<String, String> env = System.getenv();
        Optional<ConfigLocator.Located> located = ConfigLocator.locate(jndiConfig(),
                System.getProperty(ConfigLocator.SYSTEM_PROPERTY), env.get(ConfigLocator.ENV_VARIABLE),
                System.getProperty("catalina.base"));
        if (located.isPresent()) {
            ConfigLocator.Located file = located.get();
            String text;
            try {
                text = Files.readString(file.path(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(null, "cannot read " + file.path() + " (named by " + file.origin() + "): " + e);
            }
            return ConfigParser.parse(text, env, "file " + file.path() + " (named by " + file.origin() + ")");
        }
        DefaultConfig.Result result = DefaultConfig.fromEnvironment(env);
        result.notices().forEach(notice -> LOG.info("{}", notice));
        result.warnings().forEach(warning -> LOG.warn("{}", warning));
        if (result.generatedToken() != null) {
            // Logged once, by design: with no token configured this is the only way to learn it.
            LOG.warn("{} is not set; generated this bearer token for this run: {}",
                    DefaultConfig.TOKEN_VARIABLE, result.generatedToken());
        }
        return result.config();
    }

    private static String jndiConfig() {
        try {
            Object value = new InitialContext().lookup(ConfigLocator.JNDI_NAME);
            return value == null ? null : value.toString();
        } catch (NamingException | RuntimeException e) {
            // No JNDI environment (plain Jetty) or no such entry: try the next source.
            return null;
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(Gateway.ATTRIBUTE);
        if (upstreamClient != null) {
            upstreamClient.close(CLOSE_GRACE);
        }
        if (scheduler != null) {
            scheduler.close();
        }
        LOG.info("Switchboard stopped");
    }

    /** Aborts the deployment; its message is the one line that says why, so no stack trace. */
    static final class StartupFailure extends RuntimeException {
        StartupFailure(String message) {
            super(message, null, false, false);
        }
    }
}
