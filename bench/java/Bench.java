import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the issue 7 scenarios against the mock directly and through the gateway, and reports the
 * differences: Markdown on stdout and in {@code latest.md}, everything in {@code latest.json}.
 * bench/run.sh starts the mock and Tomcat and passes their addresses and PIDs here.
 *
 * <p>Load generators: wrk (C, epoll, one thread) for scenario 2 (and its warm-up and profile),
 * because it is the cheapest well-known generator for 32 busy connections (its latencies are corrected for coordinated
 * omission, see {@link #sequential()}); {@link LoadClient} for the sequential scenario, where each
 * request's own time is the figure, and for streams, because wrk cannot time the first byte of a
 * body nor hold thousands of streams while watching each one.
 *
 * <p>CPU figures come from /proc: the gateway's and the mock's utime+stime, this process's own
 * (its load client) plus its reaped children's (wrk), and the machine's busy time, so that CPU
 * used by anything else on the machine shows up as "other".
 */
public final class Bench {
    private static final String SYSTEM = "You are a helpful assistant.";
    private static final String USER = "Say hello in one short sentence.";
    private static final String MESSAGES = "[{\"role\":\"system\",\"content\":\"" + SYSTEM + "\"},"
            + "{\"role\":\"user\",\"content\":\"" + USER + "\"}]";
    /** Public model ids in bench/switchboard-bench.json. */
    private static final String OPENAI_MODEL = "gpt-4o-mini";
    private static final String ANTHROPIC_MODEL = "claude-sonnet-4-5";
    private static final String TRICKLE_MODEL = "trickle";
    private static final String CHAT_PATH = "/v1/chat/completions";
    private static final String MESSAGES_PATH = "/v1/messages";
    private static final byte[] OPENAI_END = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    /** How a whole non-streaming reply (a JSON object) ends. */
    private static final byte[] JSON_END = "}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANTHROPIC_END = "{\"type\":\"message_stop\"}\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CONCURRENCY = 32;
    private static final double STALL_SECONDS = 3;
    private static final int RAMP_MAX_PENDING = 500;

    private final Map<String, String> options;
    private final String gatewayPid;
    private final String mockPid;
    private final InetSocketAddress gateway;
    private final InetSocketAddress mock;
    private final String token;
    private final long clockTicks;
    private final Path outDir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Object> results = new LinkedHashMap<>();

    private Bench(Map<String, String> options) {
        this.options = options;
        this.gatewayPid = options.get("gateway-pid");
        this.mockPid = options.get("mock-pid");
        this.gateway = new InetSocketAddress("127.0.0.1", Integer.parseInt(options.get("gateway-port")));
        this.mock = new InetSocketAddress("127.0.0.1", Integer.parseInt(options.get("mock-port")));
        this.token = options.get("token");
        this.clockTicks = Long.parseLong(options.get("clk-tck"));
        this.outDir = Path.of(options.get("out"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new Bench(options).run();
    }

    /** Whether {@code --scenarios} (a comma-separated list, or "all") names this scenario. */
    private boolean selected(String scenario) {
        String list = options.getOrDefault("scenarios", "all");
        return list.equals("all") || Arrays.asList(list.split(",")).contains(scenario);
    }

    private int intOption(String name) {
        return Integer.parseInt(options.get(name));
    }

    private void run() throws Exception {
        results.put("machine", machine());
        results.put("settings", new LinkedHashMap<>(new TreeMap<>(options)));
        ((Map<?, ?>) results.get("settings")).remove("token");
        warmUp();
        Map<String, Object> scenarios = new LinkedHashMap<>();
        results.put("scenarios", scenarios);
        if (selected("sequential")) {
            scenarios.put("sequential", sequential());
        }
        if (selected("nonstreaming")) {
            scenarios.put("nonstreaming_c32", nonStreaming());
        }
        if (selected("stream-openai")) {
            scenarios.put("stream_openai_c32", streaming(false));
        }
        if (selected("stream-anthropic")) {
            scenarios.put("stream_anthropic_c32", streaming(true));
        }
        // Before the trickle, which may leave the gateway out of memory.
        if (Boolean.parseBoolean(options.getOrDefault("profile", "false"))) {
            results.put("profile", profile());
        }
        if (selected("trickle")) {
            scenarios.put("trickle_direct_control", trickle(false));
            scenarios.put("trickle", trickle(true));
        }
        results.put("finished", Instant.now().toString());
        // The JSON first: it holds everything, whatever happens to the rendering.
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("latest.json"), Report.json(results) + "\n");
        String markdown = Report.markdown(results);
        Files.writeString(outDir.resolve("latest.md"), markdown);
        System.out.println();
        System.out.print(markdown);
    }

    // ---- scenarios -------------------------------------------------------------------------------

    /** JIT-compiles every path the scenarios take, in the gateway, the mock and this client. */
    private void warmUp() throws IOException {
        int seconds = intOption("warmup");
        log("warm-up: " + seconds + " s each of non-streaming, OpenAI and Anthropic streams, through the gateway");
        wrk(true, openAiBody(false), CONCURRENCY, seconds);
        LoadClient.closedLoop(gateway, gatewayRequest(openAiBody(true)), OPENAI_END, CONCURRENCY, seconds);
        LoadClient.closedLoop(gateway, gatewayRequest(anthropicViaGateway()), OPENAI_END, CONCURRENCY, seconds);
        wrk(false, openAiBody(false), CONCURRENCY, 2);
        LoadClient.closedLoop(mock, mockRequest(CHAT_PATH, openAiBody(true)), OPENAI_END, CONCURRENCY, 2);
        LoadClient.closedLoop(mock, mockRequest(MESSAGES_PATH, anthropicDirect()), ANTHROPIC_END, CONCURRENCY, 2);
    }

    /**
     * Scenario 1: one connection, one request at a time; rounds alternate direct and gateway.
     *
     * <p>Timed by {@link LoadClient}, one sample per request sent, and not by wrk: wrk 4 corrects
     * its histogram for coordinated omission before handing it over (for every latency above twice
     * the mean interval it adds samples at that latency minus one, two, ... intervals), so its
     * "p99" of a 40 µs-median run is a few stalls counted hundreds of times. That view, how long a
     * request arriving at a random moment would wait, is reported too, computed the same way from
     * these samples per round.
     */
    private Map<String, Object> sequential() throws IOException {
        int rounds = intOption("rounds");
        int seconds = intOption("round-seconds");
        log("scenario 1: sequential non-streaming, " + rounds + " interleaved rounds of " + seconds + " s each way");
        Histogram direct = new Histogram();
        Histogram through = new Histogram();
        Histogram directWeighted = new Histogram();
        Histogram throughWeighted = new Histogram();
        long directErrors = 0;
        long gatewayErrors = 0;
        byte[] directRequest = mockRequest(CHAT_PATH, openAiBody(false));
        byte[] gatewayRequest = gatewayRequest(openAiBody(false));
        for (int round = 0; round < rounds; round++) {
            // Alternate which goes first, so that neither always runs right after the other.
            for (boolean viaGateway : round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                LoadClient.StreamRun run = LoadClient.closedLoop(viaGateway ? gateway : mock,
                        viaGateway ? gatewayRequest : directRequest, JSON_END, 1, seconds);
                Histogram latency = Histogram.ofNanos(run.totalNanos());
                (viaGateway ? through : direct).merge(latency);
                (viaGateway ? throughWeighted : directWeighted).merge(
                        latency.correctedForOmission(seconds * 1_000_000L, run.requests() + run.errors()));
                if (viaGateway) {
                    gatewayErrors += run.errors();
                } else {
                    directErrors += run.errors();
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("direct", latencySummary(direct, directErrors));
        result.put("gateway", latencySummary(through, gatewayErrors));
        result.put("added_p50_us", through.percentile(50) - direct.percentile(50));
        result.put("added_p99_us", through.percentile(99) - direct.percentile(99));
        result.put("time_weighted", Map.of(
                "direct_p99_us", directWeighted.percentile(99),
                "gateway_p99_us", throughWeighted.percentile(99),
                "added_p99_us", throughWeighted.percentile(99) - directWeighted.percentile(99)));
        return result;
    }

    /** Scenario 2: 32 connections of non-streaming requests, direct then through the gateway. */
    private Map<String, Object> nonStreaming() throws IOException {
        int seconds = intOption("seconds");
        log("scenario 2: non-streaming at concurrency " + CONCURRENCY + ", " + seconds + " s each way");
        Map<String, Object> result = new LinkedHashMap<>();
        for (boolean viaGateway : new boolean[] {false, true}) {
            long upstreamBefore = mockStats("requests");
            Snapshot before = snapshot();
            WrkRun run = wrk(viaGateway, openAiBody(false), CONCURRENCY, seconds);
            Snapshot after = snapshot();
            long upstream = mockStats("requests") - upstreamBefore;
            Map<String, Object> side = latencySummary(run.latency, run.errors);
            side.put("rps", round(run.requests / run.seconds, 0));
            side.put("cpu_cores", cpuUse(before, after));
            if (viaGateway) {
                gatewayCosts(side, before, after, run.requests);
                side.put("upstream_requests_per_request", round((double) upstream / run.requests, 3));
            }
            result.put(viaGateway ? "gateway" : "direct", side);
        }
        result.put("rps_ratio", ratio(result, "rps"));
        return result;
    }

    /** Scenario 3: 32 connections of 8-chunk streams, direct then through the gateway. */
    private Map<String, Object> streaming(boolean anthropic) throws IOException {
        int seconds = intOption("seconds");
        log("scenario 3: " + (anthropic ? "Anthropic" : "OpenAI") + " streams at concurrency " + CONCURRENCY + ", "
                + seconds + " s each way");
        Map<String, Object> result = new LinkedHashMap<>();
        for (boolean viaGateway : new boolean[] {false, true}) {
            InetSocketAddress target = viaGateway ? gateway : mock;
            byte[] request = viaGateway
                    ? gatewayRequest(anthropic ? anthropicViaGateway() : openAiBody(true))
                    : anthropic ? mockRequest(MESSAGES_PATH, anthropicDirect()) : mockRequest(CHAT_PATH, openAiBody(true));
            byte[] end = viaGateway || !anthropic ? OPENAI_END : ANTHROPIC_END;
            Snapshot before = snapshot();
            LoadClient.StreamRun run = LoadClient.closedLoop(target, request, end, CONCURRENCY, seconds);
            Snapshot after = snapshot();
            Map<String, Object> side = new LinkedHashMap<>();
            side.put("requests", run.requests());
            side.put("errors", run.errors());
            if (run.firstError() != null) {
                side.put("first_error", run.firstError());
            }
            side.put("rps", round(run.rps(), 0));
            long[] ttfb = sortedMicros(run.ttfbNanos());
            long[] total = sortedMicros(run.totalNanos());
            side.put("ttfb_p50_us", percentile(ttfb, 50));
            side.put("ttfb_p99_us", percentile(ttfb, 99));
            side.put("total_p50_us", percentile(total, 50));
            side.put("total_p99_us", percentile(total, 99));
            side.put("cpu_cores", cpuUse(before, after));
            if (viaGateway) {
                gatewayCosts(side, before, after, run.requests());
            }
            result.put(viaGateway ? "gateway" : "direct", side);
        }
        result.put("rps_ratio", ratio(result, "rps"));
        return result;
    }

    /**
     * Scenario 4: thousands of trickling streams held open, then all clients gone at once. Through
     * the gateway it also samples the JVM's threads, RSS and heap after a full GC; directly
     * against the mock it is the control that shows the mock and this client hold up on their own.
     */
    private Map<String, Object> trickle(boolean viaGateway) throws Exception {
        int streams = intOption("streams");
        double hold = Double.parseDouble(options.get(viaGateway ? "hold" : "control-hold"));
        log("scenario 4" + (viaGateway ? "" : " (direct control)") + ": " + streams + " trickling streams held for "
                + hold + " s, then all closed at once");
        InetSocketAddress target = viaGateway ? gateway : mock;
        String body = "{\"model\":\"" + TRICKLE_MODEL + "\",\"messages\":" + MESSAGES + ",\"stream\":true}";
        byte[] request = viaGateway ? gatewayRequest(body) : mockRequest(CHAT_PATH, body);
        Map<String, Object> result = new LinkedHashMap<>();
        long openBefore = mockStats("open_requests");
        long heapBefore = viaGateway ? heapAfterGc() : 0;

        // The gateway's thread count and RSS are sampled in the background throughout.
        AtomicBoolean sampling = new AtomicBoolean(viaGateway);
        AtomicLong peakThreads = new AtomicLong();
        AtomicLong peakRss = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peakThreads.accumulateAndGet(Proc.status(gatewayPid, "Threads"), Math::max);
                peakRss.accumulateAndGet(Proc.status(gatewayPid, "VmRSS"), Math::max);
                sleep(250);
            }
        }, "sampler");
        sampler.start();

        LoadClient.Trickle load = new LoadClient.Trickle(target, request, streams);
        // Ramp and hold must end before the mock's 60 s trickles do; a healthy gateway needs a few seconds.
        load.ramp(RAMP_MAX_PENDING, Double.parseDouble(options.get("ramp-timeout")));
        log(String.format(Locale.ROOT, "  %d streams established in %.1f s, %d failed%s", load.established,
                load.rampSeconds, load.failed, load.firstError == null ? "" : " (first: " + load.firstError + ")"));
        result.put("streams", streams);
        result.put("established", load.established);
        result.put("failed_to_establish", load.failed);
        result.put("ramp_seconds", round(load.rampSeconds, 1));

        // Mid-hold, in another thread so that this one keeps reading every stream: the JVM's
        // threads and RSS, which cost the gateway nothing to read.
        Map<String, Object> midHold = new LinkedHashMap<>();
        Thread measurer = new Thread(() -> {
            sleep((long) (hold * 500));
            midHold.put("mock_open_requests", mockStats("open_requests"));
            if (viaGateway) {
                midHold.put("threads", Proc.status(gatewayPid, "Threads"));
                midHold.put("rss_mb", Proc.status(gatewayPid, "VmRSS") / 1024);
                midHold.put("thread_groups", Proc.threadGroups(gatewayPid));
            }
        }, "measurer");
        measurer.start();
        Snapshot holdStart = snapshot();
        load.hold(hold, STALL_SECONDS);
        Snapshot holdEnd = snapshot();
        measurer.join();
        result.putAll(midHold);
        if (viaGateway) {
            // After the stall window, with every stream still open: a full GC stops the gateway for
            // seconds at this size, which would otherwise show up as stalls of its own making.
            long heapHeld = heapAfterGc();
            result.put("heap_after_gc_mb", heapHeld / 1024);
            result.put("heap_before_mb", heapBefore / 1024);
            result.put("heap_per_stream_kb", (heapHeld - heapBefore) / Math.max(1, load.liveAtHoldStart));
        }
        result.put("hold_seconds", hold);
        result.put("live_at_hold_start", load.liveAtHoldStart);
        result.put("stalled", load.stalled);
        result.put("lost_during_hold", load.lostDuringHold);
        result.put("max_gap_ms", load.maxGapNanos / 1_000_000);
        result.put("stalls_by_second_of_hold", load.stallStarts);
        result.put("deliveries_during_hold", load.holdDeliveries);
        // Holding the streams: one event per stream per second.
        result.put("hold_cpu_cores", cpuUse(holdStart, holdEnd));
        if (viaGateway) {
            result.put("hold_gc_pauses", gcPauses(holdStart, holdEnd));
        }

        long openAtClose = mockStats("open_requests");
        long closedAt = load.closeAll();
        long releasedMs = -1;
        long remaining = openAtClose;
        while (System.nanoTime() - closedAt < 30_000_000_000L) {
            remaining = mockStats("open_requests") - openBefore;
            if (remaining <= 0) {
                releasedMs = (System.nanoTime() - closedAt) / 1_000_000;
                break;
            }
            sleep(20);
        }
        sampling.set(false);
        sampler.join();
        result.put("mock_open_at_close", openAtClose - openBefore);
        result.put("release_ms", releasedMs);
        if (releasedMs < 0) {
            result.put("still_open_after_30s", remaining);
        }
        if (viaGateway) {
            result.put("peak_threads", peakThreads.get());
            result.put("peak_rss_mb", peakRss.get() / 1024);
        }
        if (load.firstError != null) {
            result.put("first_error", load.firstError);
        }
        // Let the gateway settle (closed connections, pool eviction), then check it survived.
        sleep(2000);
        if (viaGateway) {
            result.put("gateway_answers_after", gatewayAnswers());
            result.put("out_of_memory_errors_logged", Pattern.compile("OutOfMemoryError")
                    .matcher(Proc.read(Path.of(options.get("gateway-log")))).results().count());
        }
        return result;
    }

    /** Optional, after the measurements (JFR costs CPU): where the gateway's CPU goes, by JFR samples. */
    private Map<String, Object> profile() throws IOException {
        int seconds = intOption("seconds");
        Map<String, Object> result = new LinkedHashMap<>();
        for (String scenario : List.of("nonstreaming_c32", "stream_anthropic_c32")) {
            Path file = outDir.resolve("profile-" + scenario + ".jfr").toAbsolutePath();
            log("profile: " + scenario + " for " + seconds + " s with JFR");
            Proc.run("jcmd", gatewayPid, "JFR.start", "name=bench", "settings=profile", "filename=" + file);
            if (scenario.startsWith("nonstreaming")) {
                wrk(true, openAiBody(false), CONCURRENCY, seconds);
            } else {
                LoadClient.closedLoop(gateway, gatewayRequest(anthropicViaGateway()), OPENAI_END, CONCURRENCY, seconds);
            }
            Proc.run("jcmd", gatewayPid, "JFR.stop", "name=bench");
            result.put(scenario, Profile.summarise(file));
        }
        return result;
    }

    // ---- load generators -------------------------------------------------------------------------

    /** One wrk run: its request count, errors and whole latency histogram (µs). */
    private record WrkRun(long requests, long errors, double seconds, Histogram latency) {
    }

    private static final Pattern WRK_SUMMARY = Pattern.compile(
            "BENCH requests=(\\d+) duration_us=(\\d+) connect=(\\d+) read=(\\d+) write=(\\d+) status=(\\d+) timeout=(\\d+)");

    private WrkRun wrk(boolean viaGateway, String body, int connections, int seconds) throws IOException {
        InetSocketAddress target = viaGateway ? gateway : mock;
        ProcessBuilder builder = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "-s", options.get("lua"),
                "http://127.0.0.1:" + target.getPort() + CHAT_PATH).redirectErrorStream(true);
        builder.environment().put("BENCH_BODY", body);
        if (viaGateway) {
            builder.environment().put("BENCH_TOKEN", token);
        } else {
            builder.environment().remove("BENCH_TOKEN");
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Matcher summary = WRK_SUMMARY.matcher(output);
        if (!summary.find()) {
            throw new IOException("wrk printed no summary:\n" + output);
        }
        long errors = 0;
        for (int group = 3; group <= 7; group++) {
            errors += Long.parseLong(summary.group(group));
        }
        Histogram histogram = new Histogram();
        for (String line : output.split("\n")) {
            if (line.startsWith("HIST ")) {
                String[] parts = line.split(" ");
                histogram.add(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            }
        }
        return new WrkRun(Long.parseLong(summary.group(1)), errors, Long.parseLong(summary.group(2)) / 1e6, histogram);
    }

    private static String openAiBody(boolean stream) {
        return "{\"model\":\"" + OPENAI_MODEL + "\",\"messages\":" + MESSAGES + ",\"max_tokens\":64"
                + (stream ? ",\"stream\":true}" : "}");
    }

    /** An OpenAI request for the Anthropic-backed model: the gateway translates it both ways. */
    private static String anthropicViaGateway() {
        return "{\"model\":\"" + ANTHROPIC_MODEL + "\",\"messages\":" + MESSAGES + ",\"max_tokens\":64,\"stream\":true}";
    }

    /** What the gateway sends upstream for {@link #anthropicViaGateway()}, give or take key order. */
    private static String anthropicDirect() {
        return "{\"model\":\"" + ANTHROPIC_MODEL + "\",\"max_tokens\":64,\"system\":[{\"type\":\"text\",\"text\":\""
                + SYSTEM + "\"}],\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + USER
                + "\"}]}],\"stream\":true}";
    }

    private byte[] gatewayRequest(String body) {
        return httpPost(gateway, CHAT_PATH, "Authorization: Bearer " + token + "\r\n", body);
    }

    private byte[] mockRequest(String path, String body) {
        return httpPost(mock, path, "", body);
    }

    private static byte[] httpPost(InetSocketAddress target, String path, String extraHeaders, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + target.getPort() + "\r\n" + extraHeaders
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head8, head8.length + bytes.length);
        System.arraycopy(bytes, 0, all, head8.length, bytes.length);
        return all;
    }

    // ---- measurements ----------------------------------------------------------------------------

    /** CPU counters at one instant. */
    private record Snapshot(long nanos, long gatewayUser, long gatewaySystem, long mock, long self, long children,
                            long busy, long upstreamConnections, int gcLogLines) {
        long gateway() {
            return gatewayUser + gatewaySystem;
        }
    }

    private Snapshot snapshot() {
        long[] own = Proc.selfAndChildrenTicks();
        long[] gatewayTicks = Proc.cpuTicks(gatewayPid);
        long[] mockTicks = Proc.cpuTicks(mockPid);
        return new Snapshot(System.nanoTime(), gatewayTicks[0], gatewayTicks[1], mockTicks[0] + mockTicks[1], own[0],
                own[1], Proc.machineTicks()[0], mockStats("accepted"), gcLog().size());
    }

    private List<String> gcLog() {
        return Proc.read(Path.of(options.get("gc-log"))).lines().toList();
    }

    private static final Pattern GC_PAUSE = Pattern.compile("Pause .* ([0-9.]+)ms$");

    /** The gateway's GC pauses between two snapshots, from its -Xlog:gc file: count, total and longest, in ms. */
    private Map<String, Object> gcPauses(Snapshot a, Snapshot b) {
        List<String> lines = gcLog();
        long count = 0;
        double total = 0;
        double longest = 0;
        for (String line : lines.subList(Math.min(a.gcLogLines, lines.size()), Math.min(b.gcLogLines, lines.size()))) {
            Matcher pause = GC_PAUSE.matcher(line);
            if (pause.find()) {
                double ms = Double.parseDouble(pause.group(1));
                count++;
                total += ms;
                longest = Math.max(longest, ms);
            }
        }
        Map<String, Object> pauses = new LinkedHashMap<>();
        pauses.put("count", count);
        pauses.put("total_ms", round(total, 1));
        pauses.put("longest_ms", round(longest, 1));
        return pauses;
    }

    /** Average cores used between two snapshots, by process; "other" is the rest of the machine's busy time. */
    private Map<String, Object> cpuUse(Snapshot a, Snapshot b) {
        double seconds = (b.nanos - a.nanos) / 1e9;
        double gatewayCores = (b.gateway() - a.gateway()) / (double) clockTicks / seconds;
        double mockCores = (b.mock - a.mock) / (double) clockTicks / seconds;
        double generatorCores = (b.self - a.self + b.children - a.children) / (double) clockTicks / seconds;
        double busyCores = (b.busy - a.busy) / (double) clockTicks / seconds;
        Map<String, Object> use = new LinkedHashMap<>();
        use.put("gateway", round(gatewayCores, 2));
        use.put("mock", round(mockCores, 2));
        use.put("load_generator", round(generatorCores, 2));
        use.put("other", round(Math.max(0, busyCores - gatewayCores - mockCores - generatorCores), 2));
        use.put("machine_busy", round(busyCores, 2));
        return use;
    }

    private double cpuMicros(Snapshot a, Snapshot b) {
        return (b.gateway() - a.gateway()) * 1e6 / clockTicks;
    }

    /** Per-request figures of the gateway between two snapshots. */
    private void gatewayCosts(Map<String, Object> side, Snapshot a, Snapshot b, long requests) {
        long n = Math.max(1, requests);
        side.put("gateway_cpu_us_per_request", round(cpuMicros(a, b) / n, 1));
        // JFR samples Java code only; this says how much of the CPU went to the kernel (syscalls, network).
        side.put("gateway_cpu_kernel_share", round((double) (b.gatewaySystem - a.gatewaySystem)
                / Math.max(1, b.gateway() - a.gateway()), 2));
        side.put("upstream_connections_per_request", round((double) (b.upstreamConnections - a.upstreamConnections) / n, 3));
        side.put("gateway_gc_pauses", gcPauses(a, b));
    }

    /** One non-streaming request through the gateway, with a short timeout: is it still serving? */
    private boolean gatewayAnswers() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gateway.getPort() + CHAT_PATH))
                    .timeout(java.time.Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(openAiBody(false))).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Heap in use after a full GC, in KB, from {@code jcmd GC.run} then {@code GC.heap_info}. */
    private long heapAfterGc() {
        Proc.run("jcmd", gatewayPid, "GC.run");
        String info = Proc.run("jcmd", gatewayPid, "GC.heap_info");
        Matcher used = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("cannot read GC.heap_info:\n" + info);
        }
        return Long.parseLong(used.group(1));
    }

    private long mockStats(String field) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + mock.getPort() + "/_stats")).build(), HttpResponse.BodyHandlers.ofString());
            Matcher value = Pattern.compile("\"" + field + "\":(\\d+)").matcher(response.body());
            if (!value.find()) {
                throw new IllegalStateException("no " + field + " in " + response.body());
            }
            return Long.parseLong(value.group(1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        machine.put("wrk", Proc.run("wrk", "-v").lines().findFirst().orElse("").trim());
        return machine;
    }

    // ---- statistics ------------------------------------------------------------------------------

    /** Latency counts by microsecond, mergeable across runs. */
    static final class Histogram {
        private final TreeMap<Long, Long> counts = new TreeMap<>();
        private long total;

        void add(long micros, long count) {
            counts.merge(micros, count, Long::sum);
            total += count;
        }

        void merge(Histogram other) {
            other.counts.forEach(this::add);
        }

        static Histogram ofNanos(long[] nanos) {
            Histogram histogram = new Histogram();
            for (long n : nanos) {
                histogram.add(n / 1000, 1);
            }
            return histogram;
        }

        /**
         * This histogram as wrk 4 reports it for one connection that completed {@code completed}
         * requests (errors included, as wrk counts them) in {@code runMicros}: for every latency of
         * at least twice the mean interval between requests, the requests a steady client would
         * have sent meanwhile are added, at that latency minus one, two, ... intervals (wrk's
         * stats_correct). Roughly, the wait of a request arriving at a random time.
         */
        Histogram correctedForOmission(long runMicros, long completed) {
            Histogram corrected = new Histogram();
            corrected.merge(this);
            if (completed == 0) {
                return corrected;
            }
            long interval = Math.max(1, runMicros / completed);
            counts.forEach((latency, count) -> {
                if (latency >= 2 * interval) {
                    for (long missed = latency - interval; missed > interval; missed -= interval) {
                        corrected.add(missed, count);
                    }
                }
            });
            return corrected;
        }

        long count() {
            return total;
        }

        /** Nearest-rank percentile, in µs. */
        long percentile(double p) {
            long rank = Math.max(1, (long) Math.ceil(p / 100 * total));
            long seen = 0;
            for (Map.Entry<Long, Long> entry : counts.entrySet()) {
                seen += entry.getValue();
                if (seen >= rank) {
                    return entry.getKey();
                }
            }
            return counts.isEmpty() ? 0 : counts.lastKey();
        }
    }

    private static Map<String, Object> latencySummary(Histogram histogram, long errors) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("requests", histogram.count());
        summary.put("errors", errors);
        summary.put("p50_us", histogram.percentile(50));
        summary.put("p90_us", histogram.percentile(90));
        summary.put("p99_us", histogram.percentile(99));
        summary.put("p999_us", histogram.percentile(99.9));
        summary.put("max_us", histogram.percentile(100));
        return summary;
    }

    private static long[] sortedMicros(long[] nanos) {
        long[] micros = Arrays.stream(nanos).map(n -> n / 1000).toArray();
        Arrays.sort(micros);
        return micros;
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[(int) Math.max(0, Math.ceil(p / 100 * sorted.length) - 1)];
    }

    @SuppressWarnings("unchecked")
    private static double ratio(Map<String, Object> result, String key) {
        double direct = ((Number) ((Map<String, Object>) result.get("direct")).get(key)).doubleValue();
        double through = ((Number) ((Map<String, Object>) result.get("gateway")).get(key)).doubleValue();
        return round(through / direct, 3);
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String line) {
        System.out.println("[bench] " + line);
    }
}
