import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The load harness (bench/README.md). bench/run.sh builds the WARs, lays out one Tomcat base per
 * WAR, starts the mocks and hands their addresses here; this runs one pass per mock and gateway
 * configuration: it starts every Tomcat (the floor, the baseline WAR if any, the current WAR) on
 * the same layout with the same JVM options, warms all of them up, runs each scenario against
 * the mock directly and every Tomcat in interleaved slices ({@link Runner}), stops the Tomcats,
 * and finally writes the Markdown table ({@link Report}) and the JSON with every figure.
 */
public final class Bench {
    private final Map<String, String> options;
    private final Path outDir;
    private final Map<String, Object> results = new LinkedHashMap<>();

    private Bench(Map<String, String> options) {
        this.options = options;
        this.outDir = Path.of(options.get("out"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new Bench(options).run();
    }

    private void run() throws Exception {
        int chunks = Integer.parseInt(options.get("chunks"));
        List<Scenarios.Scenario> selected = select(Scenarios.all(chunks), options.getOrDefault("scenarios", "all"));
        results.put("machine", machine());
        Map<String, Object> settings = new LinkedHashMap<>(new TreeMap<>(options));
        settings.remove("token");
        results.put("settings", settings);
        List<Map<String, Object>> passes = new ArrayList<>();
        results.put("passes", passes);

        Path bases = Path.of(options.get("bases"));
        Path configs = Path.of(options.get("configs"));
        Target direct = new Target(Target.Role.DIRECT, "mock direct", null, null);
        Target floor = new Target(Target.Role.FLOOR, "floor", bases.resolve("floor"), null);
        Target current = new Target(Target.Role.CURRENT, "Switchboard " + options.get("commit"), bases.resolve("current"),
                configs.resolve("current"));
        Target baseline = options.containsKey("baseline")
                ? new Target(Target.Role.BASELINE, "baseline " + options.get("baseline"), bases.resolve("baseline"),
                configs.resolve("baseline"))
                : null;
        List<Target> tomcats = baseline == null ? List.of(floor, current) : List.of(floor, baseline, current);

        Set<String> configNames = new LinkedHashSet<>();
        selected.forEach(s -> configNames.add(s.config()));
        boolean profiled = false;
        // --mocks: name:port:pid,...
        for (String mock : options.get("mocks").split(",")) {
            String[] parts = mock.split(":");
            direct.attach(Integer.parseInt(parts[1]), parts[2]);
            for (String config : configNames) {
                List<Scenarios.Scenario> scenarios = selected.stream().filter(s -> s.config().equals(config)).toList();
                boolean profile = !profiled && Boolean.parseBoolean(options.getOrDefault("profile", "false"));
                passes.add(pass(parts[0], config, scenarios, direct, tomcats, current, profile));
                profiled |= profile;
                write();
            }
        }
        results.put("finished", Instant.now().toString());
        String markdown = write();
        System.out.println();
        System.out.print(markdown);
    }

    private Map<String, Object> pass(String mockName, String config, List<Scenarios.Scenario> scenarios, Target direct,
                                     List<Target> tomcats, Target current, boolean profile) throws Exception {
        log("pass: " + mockName + " mock, gateway configuration " + config + ": " + scenarios.stream()
                .map(Scenarios.Scenario::id).toList());
        Map<String, Object> pass = new LinkedHashMap<>();
        pass.put("mock", mockName);
        pass.put("config", config);
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put(direct.key(), direct.label() + " (" + mockName + ")");
        tomcats.forEach(t -> labels.put(t.key(), t.label()));
        pass.put("labels", labels);
        Map<String, Object> byScenario = new LinkedHashMap<>();
        pass.put("scenarios", byScenario);
        List<Target> targets = new ArrayList<>();
        targets.add(direct);
        targets.addAll(tomcats);
        try {
            // One at a time, so that no start competes with another for the two cores.
            for (Target tomcat : tomcats) {
                Path gatewayConfig = tomcat.isGateway() ? tomcat.config(config, current) : null;
                // The current WAR alone may get more options (BENCH_CURRENT_JVM_OPTS: tracing on, say),
                // with @MOCK_PORT@ naming this pass's mock.
                String extra = tomcat == current ? options.getOrDefault("current-jvm-opts", "").trim() : "";
                String jvmOpts = options.get("jvm-opts")
                        + (extra.isEmpty() ? "" : " " + extra.replace("@MOCK_PORT@", String.valueOf(direct.port())));
                tomcat.start(Path.of(options.get("tomcat-home")), jvmOpts, direct.port(), gatewayConfig);
                log("  " + tomcat.label() + ": pid " + tomcat.pid() + " on :" + tomcat.port());
            }
            Meter meter = new Meter(Long.parseLong(options.get("clk-tck")), direct, tomcats);
            Runner runner = new Runner(options, meter, targets);
            pass.put("warm_up", runner.warmUp(scenarios, Integer.parseInt(options.get("warmup")),
                    Integer.parseInt(options.get("warmup-max"))));
            for (Scenarios.Scenario scenario : scenarios) {
                if (scenario.kind() == Scenarios.Kind.TRICKLE && profile) {
                    // Before the trickle, which may leave a gateway out of memory.
                    pass.put("profile", runner.profile(current, scenarios, outDir));
                    profile = false;
                }
                byScenario.put(scenario.id(), runner.run(scenario));
            }
            if (profile) {
                pass.put("profile", runner.profile(current, scenarios, outDir));
            }
        } finally {
            for (Target tomcat : tomcats) {
                tomcat.stop();
            }
        }
        return pass;
    }

    /** The JSON first: it holds everything, whatever happens to the rendering. */
    private String write() throws IOException {
        String name = options.getOrDefault("name", "latest");
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve(name + ".json"), Report.json(results) + "\n");
        String markdown = Report.markdown(results);
        Files.writeString(outDir.resolve(name + ".md"), markdown);
        return markdown;
    }

    /** {@code all}: every scenario run by default; otherwise the named ones, planned ones included. */
    private static List<Scenarios.Scenario> select(List<Scenarios.Scenario> all, String list) {
        if (list.equals("all")) {
            return all.stream().filter(Scenarios.Scenario::byDefault).toList();
        }
        List<String> names = Arrays.asList(list.split(","));
        for (String name : names) {
            if (all.stream().noneMatch(s -> s.id().equals(name))) {
                throw new IllegalArgumentException("no scenario " + name + "; known: "
                        + all.stream().map(Scenarios.Scenario::id).toList());
            }
        }
        return all.stream().filter(s -> names.contains(s.id())).toList();
    }

    private Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("started", Instant.now().toString());
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("cpu_model", Proc.firstLine(Path.of("/proc/cpuinfo"), "model name"));
        machine.put("mem_total", Proc.firstLine(Path.of("/proc/meminfo"), "MemTotal"));
        machine.put("kernel", Proc.read(Path.of("/proc/sys/kernel/osrelease")).trim());
        machine.put("loadavg_at_start", Proc.read(Path.of("/proc/loadavg")).trim());
        machine.put("java", Proc.run("java", "-version").trim().replace("\n", " / "));
        machine.put("node", Proc.runOrEmpty("node", "--version").trim());
        machine.put("wrk", Proc.run("wrk", "-v").lines().findFirst().orElse("").trim());
        return machine;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void log(String line) {
        System.out.println("[bench] " + line);
    }
}
