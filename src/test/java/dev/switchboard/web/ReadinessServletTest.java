package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.json.Json;
import dev.switchboard.limits.LocalRateLimiter;
import dev.switchboard.routing.Dispatcher;
import dev.switchboard.routing.LocalCooldowns;
import dev.switchboard.routing.Router;
import dev.switchboard.spend.PriceBook;
import dev.switchboard.telemetry.GatewayMetrics;
import dev.switchboard.time.ManualScheduler;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code /readyz} answers anyone, so it says whether the node takes traffic and nothing else: no
 * model, alias, provider or token name, whatever state the node is in (docs/operations.md#health).
 */
class ReadinessServletTest {
    private static final String CONFIG = """
            {"providers": {"secret-provider": {"type": "echo"}},
             "models": {"internal-model-name": {"provider": "secret-provider"}},
             "aliases": {"internal-alias": ["internal-model-name"]},
             "tokens": [{"name": "internal-token-name", "token": "secret-token-1"}]}
            """;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final GatewayConfig config = ConfigParser.parse(CONFIG, Map.of(), "test");
    private final Gateway gateway = new Gateway(new Snapshot(config, new Router(config, Map.of()),
            new TokenVerifier(config.tokens(), config.teams()), 0, null, PriceBook.of(config.models())), scheduler,
            new Dispatcher(new LocalCooldowns(scheduler.clock()), scheduler, new Random(1), (p, o) -> { }),
            new LocalRateLimiter(), new GatewayMetrics());

    /** The status and body of one GET. */
    private record Answer(int status, String body) {
    }

    private Answer get() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, Object> seen = new HashMap<>();
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        };
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getMethod" -> "GET";
                    case "getProtocol" -> "HTTP/1.1";
                    default -> null;
                });
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getOutputStream")) {
                        return out;
                    }
                    if (method.getName().equals("setStatus")) {
                        seen.put("status", args[0]);
                    }
                    return null;
                });
        new ReadinessServlet(gateway).service(request, response);
        return new Answer((Integer) seen.get("status"), body.toString(StandardCharsets.UTF_8));
    }

    private static void assertNamesNothing(String body) {
        JsonObject json = Json.parseObject(body);
        assertThat(json.keySet()).isSubsetOf("status", "reason");
        assertThat(body).doesNotContain("internal-model-name").doesNotContain("internal-alias")
                .doesNotContain("secret-provider").doesNotContain("internal-token-name").doesNotContain("echo");
    }

    @Test
    void aReadyNodeSaysReadyAndNamesNothing() throws Exception {
        Answer ready = get();

        assertThat(ready.status()).isEqualTo(200);
        assertThat(Json.parseObject(ready.body()).getString("status")).isEqualTo("ready");
        assertNamesNothing(ready.body());
    }

    @Test
    void aStoppingNodeSaysWhyAndNamesNothing() throws Exception {
        gateway.startDraining();

        Answer stopping = get();

        assertThat(stopping.status()).isEqualTo(503);
        assertThat(Json.parseObject(stopping.body()).getString("status")).isEqualTo("unavailable");
        assertNamesNothing(stopping.body());
    }
}
