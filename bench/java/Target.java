import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One thing the load is sent to: the mock directly, or one of the Tomcats (the floor, the
 * baseline WAR, the current WAR), each with its own Tomcat base laid out by bench/run.sh over
 * the same distribution and configuration. A Tomcat is started for each pass (mock and gateway
 * configuration) and stopped after it. Per run; not thread-safe.
 */
final class Target {
    enum Role { DIRECT, FLOOR, BASELINE, CURRENT }

    private static final Random PORTS = new Random();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Role role;
    private final String label;
    /** The Tomcat base; null for the mock. */
    private final Path base;
    /** Where this WAR's bench configurations are; null for the mock and the floor. */
    private final Path configDir;
    private int port;
    private String pid;
    private Process process;

    Target(Role role, String label, Path base, Path configDir) {
        this.role = role;
        this.label = label;
        this.base = base;
        this.configDir = configDir;
    }

    Role role() {
        return role;
    }

    /** The key in results: direct, floor, baseline, current. */
    String key() {
        return role.name().toLowerCase(java.util.Locale.ROOT);
    }

    String label() {
        return label;
    }

    /** Speaks Switchboard's API: gets the scenario's gateway request, with the bearer token. */
    boolean isGateway() {
        return role == Role.BASELINE || role == Role.CURRENT;
    }

    boolean isTomcat() {
        return role != Role.DIRECT;
    }

    int port() {
        return port;
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    String pid() {
        return pid;
    }

    Path gcLog() {
        return base.resolve("logs/gc.log");
    }

    Path log() {
        return base.resolve("logs/catalina.out");
    }

    /** For the mock: which one serves this pass. */
    void attach(int mockPort, String mockPid) {
        this.port = mockPort;
        this.pid = mockPid;
    }

    /**
     * This WAR's configuration of that name ({@code default} is bench/switchboard-bench.json, any
     * other {@code bench/switchboard-bench-<name>.json}), from its own source tree; when the
     * baseline's tree lacks it, the current tree's ({@code fallback}).
     */
    Path config(String name, Target fallback) {
        String file = name.equals("default") ? "switchboard-bench.json" : "switchboard-bench-" + name + ".json";
        Path own = configDir.resolve(file);
        if (Files.exists(own) || fallback == null || fallback == this) {
            if (!Files.exists(own)) {
                throw new IllegalStateException("no gateway configuration " + own);
            }
            return own;
        }
        Bench.log("  " + label + " has no " + file + " in its tree; using the current tree's");
        return fallback.config(name, null);
    }

    /** Starts this Tomcat (catalina.sh run, as a child) and waits until it answers {@code GET /healthz}. */
    void start(Path tomcatHome, String jvmOpts, int mockPort, Path config) throws IOException {
        port = freePort();
        String opts = jvmOpts + " -Xlog:gc:file=" + gcLog() + " -DPORT=" + port
                + (role == Role.FLOOR ? " -Dfloor.upstream=http://127.0.0.1:" + mockPort : " -Dswitchboard.config=" + config);
        ProcessBuilder builder = new ProcessBuilder(tomcatHome.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        Map<String, String> env = builder.environment();
        env.put("CATALINA_HOME", tomcatHome.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("CATALINA_OPTS", opts);
        env.put("BENCH_MOCK_PORT", String.valueOf(mockPort));
        env.remove("JAVA_OPTS");
        // catalina.sh run execs the JVM, so the child's PID is the JVM's.
        process = builder.start();
        pid = String.valueOf(process.pid());
        Files.writeString(base.resolve("tomcat.pid"), pid);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(label + " exited at start; see " + log());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            Bench.sleep(250);
        }
        throw new IllegalStateException(label + " did not answer /healthz within " + START_TIMEOUT + "; see " + log());
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        try {
            Files.deleteIfExists(base.resolve("tomcat.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A free port below the ephemeral range, so that thousands of client sockets never take it. */
    private static int freePort() {
        while (true) {
            int candidate = 20000 + PORTS.nextInt(10000);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException taken) {
                // Try another.
            }
        }
    }
}
