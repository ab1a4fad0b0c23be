import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a measured window cost, from /proc and the target's GC log: the CPU of the target (its
 * JIT compiler and GC threads apart, so that warm-up and collection left in the window show, and
 * its ledger threads apart, which are what accounting costs off the request path),
 * of the mock, of the gateways that sat idle meanwhile, of this load generator and its wrk
 * children, and of the whole machine. Per pass.
 */
final class Meter {
    private static final Pattern GC_PAUSE = Pattern.compile("Pause .* ([0-9.]+)ms$");
    private static final Pattern STAT_FIELD = Pattern.compile("\"%s\":(\\d+)");

    private final long clockTicks;
    private final Target mock;
    private final List<Target> gateways;
    private final HttpClient http = HttpClient.newHttpClient();

    /** {@code gateways}: every Tomcat of the pass (floor, baseline, current). */
    Meter(long clockTicks, Target mock, List<Target> gateways) {
        this.clockTicks = clockTicks;
        this.mock = mock;
        this.gateways = gateways;
    }

    /** Counters at one instant, seen from one measured target. */
    record Snapshot(long nanos, long user, long system, Map<String, Long> jitThreads, Map<String, Long> gcThreads,
                    Map<String, Long> ledgerThreads, long idleGateways, long mock, long self, long children, long busy, long mockAccepted,
                    long mockRequests, int gcLogLines) {
    }

    Snapshot snapshot(Target target) {
        long[] own = Proc.selfAndChildrenTicks();
        long[] mockTicks = Proc.cpuTicks(mock.pid());
        long user = 0;
        long system = 0;
        Map<String, Long> jit = new HashMap<>();
        Map<String, Long> gc = new HashMap<>();
        Map<String, Long> ledger = new HashMap<>();
        long idle = 0;
        for (Target gateway : gateways) {
            long[] ticks = Proc.cpuTicks(gateway.pid());
            if (gateway == target) {
                user = ticks[0];
                system = ticks[1];
                threadTicks(gateway.pid(), jit, gc, ledger);
            } else {
                idle += ticks[0] + ticks[1];
            }
        }
        return new Snapshot(System.nanoTime(), user, system, jit, gc, ledger, idle, mockTicks[0] + mockTicks[1], own[0], own[1],
                Proc.machineTicks()[0], mockStat("accepted"), mockStat("requests"),
                target.isTomcat() ? gcLog(target).size() : 0);
    }

    /**
     * Thread names (as /proc shows them: the first 15 characters) of the threads that do
     * accounting's work off the request path: the ledger's writer ({@code switchboard-ledger}) and
     * its pool's housekeeping ({@code switchboard-ledger housekeeper}), and the embedded H2's
     * background writer ({@code MVStore background writer …}) and its two helper threads
     * ({@code H2-serialization}, {@code H2-save}), which store what the writer's transactions
     * changed. The floor has none of them.
     */
    static final List<String> LEDGER_THREADS = List.of("switchboard-led", "MVStore backgro", "H2-serializatio", "H2-save");

    /** CPU ticks of the JIT compiler threads, of the GC threads and of the ledger's threads, by thread id. */
    private static void threadTicks(String pid, Map<String, Long> jit, Map<String, Long> gc, Map<String, Long> ledger) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                Map<String, Long> group = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? jit
                        : name.startsWith("GC Thread") || name.startsWith("G1 ") ? gc
                        : LEDGER_THREADS.stream().anyMatch(name::startsWith) ? ledger : null;
                if (group != null) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    group.put(task.getFileName().toString(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ticks threads used between two readings; a thread that ended in between is lost (JIT threads come and go). */
    private static long threadDelta(Map<String, Long> before, Map<String, Long> after) {
        long sum = 0;
        for (Map.Entry<String, Long> thread : after.entrySet()) {
            sum += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return sum;
    }

    long mockStat(String field) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + mock.port() + "/_stats")).build(), HttpResponse.BodyHandlers.ofString());
            Matcher value = Pattern.compile(String.format(STAT_FIELD.pattern(), field)).matcher(response.body());
            if (!value.find()) {
                throw new IllegalStateException("no " + field + " in " + response.body());
            }
            return Long.parseLong(value.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> gcLog(Target target) {
        return Proc.read(target.gcLog()).lines().toList();
    }

    /** Sums the windows (slices) one target was measured in. Per target and scenario. */
    final class Usage {
        private double seconds;
        private long user;
        private long system;
        private long jit;
        private long gc;
        private long ledger;
        private long idle;
        private long mockTicks;
        private long generator;
        private long busy;
        private long accepted;
        private long upstreamRequests;
        private long pauses;
        private double pauseTotal;
        private double pauseLongest;

        void add(Target target, Snapshot a, Snapshot b) {
            seconds += (b.nanos - a.nanos) / 1e9;
            user += b.user - a.user;
            system += b.system - a.system;
            jit += threadDelta(a.jitThreads, b.jitThreads);
            gc += threadDelta(a.gcThreads, b.gcThreads);
            ledger += threadDelta(a.ledgerThreads, b.ledgerThreads);
            idle += b.idleGateways - a.idleGateways;
            mockTicks += b.mock - a.mock;
            generator += b.self - a.self + b.children - a.children;
            busy += b.busy - a.busy;
            accepted += b.mockAccepted - a.mockAccepted;
            upstreamRequests += b.mockRequests - a.mockRequests;
            if (target.isTomcat()) {
                List<String> lines = gcLog(target);
                for (String line : lines.subList(Math.min(a.gcLogLines, lines.size()), Math.min(b.gcLogLines, lines.size()))) {
                    Matcher pause = GC_PAUSE.matcher(line);
                    if (pause.find()) {
                        double ms = Double.parseDouble(pause.group(1));
                        pauses++;
                        pauseTotal += ms;
                        pauseLongest = Math.max(pauseLongest, ms);
                    }
                }
            }
        }

        /** The share of the target's CPU that its JIT compiler threads used. */
        double jitShare() {
            return (double) jit / Math.max(1, user + system);
        }

        /** Average cores used, by process; "other" is the rest of the machine's busy time. */
        Map<String, Object> cores() {
            Map<String, Object> use = new LinkedHashMap<>();
            double target = cores(user + system);
            use.put("target", Bench.round(target, 2));
            use.put("mock", Bench.round(cores(mockTicks), 2));
            use.put("load_generator", Bench.round(cores(generator), 2));
            use.put("idle_gateways", Bench.round(cores(idle), 2));
            use.put("other", Bench.round(Math.max(0, cores(busy) - target - cores(mockTicks) - cores(generator) - cores(idle)), 2));
            use.put("machine_busy", Bench.round(cores(busy), 2));
            return use;
        }

        private double cores(long ticks) {
            return seconds == 0 ? 0 : ticks / (double) clockTicks / seconds;
        }

        private double micros(long ticks, long requests) {
            return ticks * 1e6 / clockTicks / Math.max(1, requests);
        }

        /** Per-request costs of the target (a Tomcat) and of the mock, and the machine's use of its cores. */
        void putInto(Map<String, Object> side, Target target, long requests) {
            side.put("seconds", Bench.round(seconds, 1));
            side.put("cores", cores());
            side.put("mock_cpu_us_per_request", Bench.round(micros(mockTicks, requests), 1));
            side.put("upstream_requests_per_request", Bench.round((double) upstreamRequests / Math.max(1, requests), 3));
            side.put("upstream_connections_per_request", Bench.round((double) accepted / Math.max(1, requests), 3));
            if (!target.isTomcat()) {
                return;
            }
            side.put("cpu_us_per_request", Bench.round(micros(user + system, requests), 1));
            side.put("cpu_kernel_share", Bench.round((double) system / Math.max(1, user + system), 2));
            side.put("jit_us_per_request", Bench.round(micros(jit, requests), 1));
            side.put("gc_threads_us_per_request", Bench.round(micros(gc, requests), 1));
            side.put("ledger_threads_us_per_request", Bench.round(micros(ledger, requests), 1));
            Map<String, Object> gcPauses = new LinkedHashMap<>();
            gcPauses.put("count", pauses);
            gcPauses.put("total_ms", Bench.round(pauseTotal, 1));
            gcPauses.put("longest_ms", Bench.round(pauseLongest, 1));
            side.put("gc_pauses", gcPauses);
        }
    }
}
