import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives one scenario against every target of a pass (the mock directly, the floor, the baseline
 * WAR, the current WAR) and collects each one's figures. The targets take turns in short slices,
 * in an order that rotates from slice to slice, so that whatever else the shared machine does in
 * those minutes falls on all of them alike; a target's figures are the sums over its slices.
 * Per pass.
 */
final class Runner {
    static final int CONCURRENCY = 32;
    private static final double STALL_SECONDS = 3;
    private static final int RAMP_MAX_PENDING = 500;
    private static final int WARM_STEP_SECONDS = 2;
    /** Warm-up ends once the JIT compiler threads use less than this share of a target's CPU. */
    static final double JIT_SETTLED = 0.03;
    private static final Pattern WRK_SUMMARY = Pattern.compile(
            "BENCH requests=(\\d+) duration_us=(\\d+) connect=(\\d+) read=(\\d+) write=(\\d+) status=(\\d+) timeout=(\\d+)");

    private final Map<String, String> options;
    private final Meter meter;
    private final List<Target> targets;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code targets}: the mock first, then the Tomcats. */
    Runner(Map<String, String> options, Meter meter, List<Target> targets) {
        this.options = options;
        this.meter = meter;
        this.targets = targets;
        this.token = options.get("token");
    }

    private int intOption(String name) {
        return Integer.parseInt(options.get(name));
    }

    /**
     * JIT-compiles the paths every selected scenario takes, in every target, before anything is
     * measured: {@code seconds} of each workload on each Tomcat, then more in steps of
     * {@link #WARM_STEP_SECONDS} until its compiler threads use less than {@link #JIT_SETTLED} of
     * its CPU (or {@code maxSeconds} have passed). On two busy cores the compiler threads get
     * little time, and a fixed warm-up left a third of the CPU of the first measured seconds in
     * the JIT. Returns, per workload and Tomcat, how long it took and the JIT share at the end.
     */
    Map<String, Object> warmUp(List<Scenarios.Scenario> scenarios, int seconds, int maxSeconds) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        for (Scenarios.Scenario scenario : scenarios) {
            if (scenario.kind() == Scenarios.Kind.TRICKLE || done.contains(scenario.gateway() + "|" + scenario.upstream())) {
                continue;
            }
            done.add(scenario.gateway() + "|" + scenario.upstream());
            Map<String, Object> byTarget = new LinkedHashMap<>();
            report.put(scenario.id(), byTarget);
            for (Target target : targets) {
                Scenarios.Call call = call(target, scenario);
                if (probe(target, call) != null) {
                    continue;
                }
                byte[] request = request(target, call);
                if (!target.isTomcat()) {
                    LoadClient.closedLoop(target.address(), request, call.end(), CONCURRENCY, 2);
                    continue;
                }
                LoadClient.closedLoop(target.address(), request, call.end(), CONCURRENCY, seconds);
                int spent = seconds;
                double jitShare;
                do {
                    Meter.Snapshot before = meter.snapshot(target);
                    LoadClient.closedLoop(target.address(), request, call.end(), CONCURRENCY, WARM_STEP_SECONDS);
                    Meter.Usage step = meter.new Usage();
                    step.add(target, before, meter.snapshot(target));
                    jitShare = step.jitShare();
                    spent += WARM_STEP_SECONDS;
                } while (jitShare > JIT_SETTLED && spent < maxSeconds);
                Bench.log(String.format(Locale.ROOT, "warm-up: %s on %s, %d s, JIT at the end %.1f %% of its CPU",
                        scenario.id(), target.label(), spent, 100 * jitShare));
                byTarget.put(target.key(), Map.of("seconds", spent, "jit_share_at_end", Bench.round(jitShare, 3)));
            }
        }
        return report;
    }

    Map<String, Object> run(Scenarios.Scenario scenario) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("title", scenario.title());
        result.put("kind", scenario.kind().name().toLowerCase(Locale.ROOT));
        result.put("config", scenario.config());
        Map<String, Object> byTarget = new LinkedHashMap<>();
        result.put("targets", byTarget);
        List<Target> live = new ArrayList<>();
        for (Target target : targets) {
            String problem = scenario.kind() == Scenarios.Kind.TRICKLE ? null : probe(target, call(target, scenario));
            if (problem == null) {
                live.add(target);
            } else {
                Bench.log("  " + target.label() + " does not serve " + scenario.id() + ": " + problem);
                byTarget.put(target.key(), Map.of("unsupported", problem));
            }
        }
        switch (scenario.kind()) {
            case SEQUENTIAL -> sequential(scenario, live, byTarget);
            case CONCURRENT, STREAM -> concurrent(scenario, live, byTarget);
            case TRICKLE -> {
                for (Target target : live) {
                    byTarget.put(target.key(), trickle(scenario, target));
                }
            }
        }
        return result;
    }

    // ---- scenarios -------------------------------------------------------------------------------

    /**
     * One connection, one request at a time, every request timed by {@link LoadClient}, not by
     * wrk: wrk 4 corrects its histogram for coordinated omission before handing it over (for
     * every latency above twice the mean interval it adds samples at that latency minus one, two,
     * ... intervals), so its "p99" of a 40 µs-median run is a few stalls counted hundreds of
     * times. That view is reported too ("time-weighted"), computed the same way from these samples.
     */
    private void sequential(Scenarios.Scenario scenario, List<Target> live, Map<String, Object> byTarget) throws IOException {
        int rounds = intOption("rounds");
        int seconds = intOption("round-seconds");
        Bench.log(scenario.id() + ": " + rounds + " rounds of " + seconds + " s on each of " + live.size() + " targets");
        Map<Target, Histogram> latency = new HashMap<>();
        Map<Target, Histogram> weighted = new HashMap<>();
        Map<Target, Long> errors = new HashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Target target : rotated(live, round)) {
                Scenarios.Call call = call(target, scenario);
                LoadClient.StreamRun run = LoadClient.closedLoop(target.address(), request(target, call), call.end(), 1, seconds);
                Histogram samples = Histogram.ofNanos(run.totalNanos());
                latency.computeIfAbsent(target, t -> new Histogram()).merge(samples);
                weighted.computeIfAbsent(target, t -> new Histogram())
                        .merge(samples.correctedForOmission(seconds * 1_000_000L, run.requests() + run.errors()));
                errors.merge(target, run.errors(), Long::sum);
            }
        }
        for (Target target : live) {
            Map<String, Object> side = latencySummary(latency.get(target), errors.get(target));
            side.put("time_weighted_p99_us", weighted.get(target).percentile(99));
            byTarget.put(target.key(), side);
        }
    }

    /** 32 connections in a closed loop: wrk for whole replies, {@link LoadClient} for streams (it times the first byte). */
    private void concurrent(Scenarios.Scenario scenario, List<Target> live, Map<String, Object> byTarget) throws IOException {
        int slices = intOption("slices");
        int sliceSeconds = Math.max(1, Math.round(intOption("seconds") / (float) slices));
        Bench.log(scenario.id() + ": " + slices + " slices of " + sliceSeconds + " s on each of " + live.size()
                + " targets, concurrency " + CONCURRENCY);
        boolean stream = scenario.kind() == Scenarios.Kind.STREAM;
        Map<Target, Meter.Usage> usage = new HashMap<>();
        Map<Target, Histogram> latency = new HashMap<>();
        Map<Target, Histogram> ttfb = new HashMap<>();
        Map<Target, long[]> counts = new HashMap<>();
        Map<Target, String> firstError = new HashMap<>();
        for (int slice = 0; slice < slices; slice++) {
            for (Target target : rotated(live, slice)) {
                Scenarios.Call call = call(target, scenario);
                Meter.Snapshot before = meter.snapshot(target);
                long requests;
                long errors;
                double seconds;
                if (stream) {
                    LoadClient.StreamRun run = LoadClient.closedLoop(target.address(), request(target, call), call.end(),
                            CONCURRENCY, sliceSeconds);
                    requests = run.requests();
                    errors = run.errors();
                    seconds = run.seconds();
                    latency.computeIfAbsent(target, t -> new Histogram()).addNanos(run.totalNanos());
                    ttfb.computeIfAbsent(target, t -> new Histogram()).addNanos(run.ttfbNanos());
                    if (run.firstError() != null) {
                        firstError.putIfAbsent(target, run.firstError());
                    }
                } else {
                    WrkRun run = wrk(target, call, sliceSeconds);
                    requests = run.requests;
                    errors = run.errors;
                    seconds = run.seconds;
                    latency.computeIfAbsent(target, t -> new Histogram()).merge(run.latency);
                }
                Meter.Snapshot after = meter.snapshot(target);
                usage.computeIfAbsent(target, t -> meter.new Usage()).add(target, before, after);
                long[] sum = counts.computeIfAbsent(target, t -> new long[3]);
                sum[0] += requests;
                sum[1] += errors;
                sum[2] += (long) (seconds * 1e6);
            }
        }
        for (Target target : live) {
            long[] sum = counts.get(target);
            Map<String, Object> side = latencySummary(latency.get(target), sum[1]);
            side.put("requests", sum[0]);
            side.put("rps", Bench.round(sum[0] / (sum[2] / 1e6), 0));
            if (stream) {
                side.put("ttfb_p50_us", ttfb.get(target).percentile(50));
                side.put("ttfb_p99_us", ttfb.get(target).percentile(99));
            }
            if (firstError.containsKey(target)) {
                side.put("first_error", firstError.get(target));
            }
            usage.get(target).putInto(side, target, sum[0]);
            byTarget.put(target.key(), side);
        }
    }

    /**
     * Thousands of trickling streams held open, then all clients gone at once. On a Tomcat it
     * also samples the JVM's threads, RSS and heap after a full GC; directly against the mock it
     * is the control that shows the mock and this client hold up on their own.
     */
    private Map<String, Object> trickle(Scenarios.Scenario scenario, Target target) throws Exception {
        int streams = intOption("streams");
        boolean tomcat = target.isTomcat();
        double hold = Double.parseDouble(options.get(tomcat ? "hold" : "control-hold"));
        Bench.log(scenario.id() + " on " + target.label() + ": " + streams + " streams held for " + hold
                + " s, then all closed at once");
        Scenarios.Call call = call(target, scenario);
        Map<String, Object> result = new LinkedHashMap<>();
        long openBefore = meter.mockStat("open_requests");
        long heapBefore = tomcat ? heapAfterGc(target) : 0;
        long oomBefore = tomcat ? outOfMemoryErrors(target) : 0;

        AtomicBoolean sampling = new AtomicBoolean(tomcat);
        AtomicLong peakThreads = new AtomicLong();
        AtomicLong peakRss = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peakThreads.accumulateAndGet(Proc.status(target.pid(), "Threads"), Math::max);
                peakRss.accumulateAndGet(Proc.status(target.pid(), "VmRSS"), Math::max);
                Bench.sleep(250);
            }
        }, "sampler");
        sampler.start();

        LoadClient.Trickle load = new LoadClient.Trickle(target.address(), request(target, call), streams);
        // Ramp and hold must end before the mock's 60 s trickles do; a healthy gateway needs a few seconds.
        load.ramp(RAMP_MAX_PENDING, Double.parseDouble(options.get("ramp-timeout")));
        Bench.log(String.format(Locale.ROOT, "  %d streams established in %.1f s, %d failed%s", load.established,
                load.rampSeconds, load.failed, load.firstError == null ? "" : " (first: " + load.firstError + ")"));
        result.put("streams", streams);
        result.put("established", load.established);
        result.put("failed_to_establish", load.failed);
        result.put("ramp_seconds", Bench.round(load.rampSeconds, 1));

        // Mid-hold, in another thread so that this one keeps reading every stream.
        Map<String, Object> midHold = new LinkedHashMap<>();
        Thread measurer = new Thread(() -> {
            Bench.sleep((long) (hold * 500));
            midHold.put("mock_open_requests", meter.mockStat("open_requests"));
            if (tomcat) {
                midHold.put("threads", Proc.status(target.pid(), "Threads"));
                midHold.put("rss_mb", Proc.status(target.pid(), "VmRSS") / 1024);
                midHold.put("thread_groups", Proc.threadGroups(target.pid()));
            }
        }, "measurer");
        measurer.start();
        Meter.Snapshot holdStart = meter.snapshot(target);
        load.hold(hold, STALL_SECONDS);
        Meter.Snapshot holdEnd = meter.snapshot(target);
        measurer.join();
        result.putAll(midHold);
        if (tomcat) {
            // After the stall window, with every stream still open: a full GC stops the JVM for
            // seconds at this size, which would otherwise show up as stalls of its own making.
            long heapHeld = heapAfterGc(target);
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
        Meter.Usage holdUsage = meter.new Usage();
        holdUsage.add(target, holdStart, holdEnd);
        result.put("hold_cores", holdUsage.cores());

        long openAtClose = meter.mockStat("open_requests");
        long closedAt = load.closeAll();
        long releasedMs = -1;
        long remaining = openAtClose;
        while (System.nanoTime() - closedAt < 30_000_000_000L) {
            remaining = meter.mockStat("open_requests") - openBefore;
            if (remaining <= 0) {
                releasedMs = (System.nanoTime() - closedAt) / 1_000_000;
                break;
            }
            Bench.sleep(20);
        }
        sampling.set(false);
        sampler.join();
        result.put("mock_open_at_close", openAtClose - openBefore);
        result.put("release_ms", releasedMs);
        if (releasedMs < 0) {
            result.put("still_open_after_30s", remaining);
        }
        if (tomcat) {
            result.put("peak_threads", peakThreads.get());
            result.put("peak_rss_mb", peakRss.get() / 1024);
        }
        if (load.firstError != null) {
            result.put("first_error", load.firstError);
        }
        // Let the target settle (closed connections, pool eviction), then check it survived.
        Bench.sleep(2000);
        if (tomcat) {
            Scenarios.Call plain = new Scenarios.Call(Scenarios.CHAT, Scenarios.chatBody(Scenarios.OPENAI_MODEL, false),
                    Scenarios.JSON_END);
            result.put("answers_after", probe(target, plain) == null);
            result.put("out_of_memory_errors_logged", outOfMemoryErrors(target) - oomBefore);
        }
        return result;
    }

    // ---- requests --------------------------------------------------------------------------------

    private static Scenarios.Call call(Target target, Scenarios.Scenario scenario) {
        return target.isGateway() ? scenario.gateway() : scenario.upstream();
    }

    /** The request's bytes; the Tomcats get the bearer token (the floor ignores it), the mock none. */
    byte[] request(Target target, Scenarios.Call call) {
        byte[] body = call.body().getBytes(StandardCharsets.UTF_8);
        String head = "POST " + call.path() + " HTTP/1.1\r\nHost: 127.0.0.1:" + target.port() + "\r\n"
                + (target.isTomcat() ? "Authorization: Bearer " + token + "\r\n" : "")
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head8, head8.length + body.length);
        System.arraycopy(body, 0, all, head8.length, body.length);
        return all;
    }

    /** One request; null when it is answered 200 with a body that ends as expected, else what went wrong. */
    String probe(Target target, Scenarios.Call call) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + call.path()))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(call.body()));
            if (target.isTomcat()) {
                builder.header("Authorization", "Bearer " + token);
            }
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body();
            if (response.statusCode() != 200) {
                return "status " + response.statusCode();
            }
            boolean ends = body.length >= call.end().length && Arrays.equals(body, body.length - call.end().length,
                    body.length, call.end(), 0, call.end().length);
            return ends ? null : "the reply does not end as expected";
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** One wrk run: its request count, errors and whole latency histogram (µs). */
    private record WrkRun(long requests, long errors, double seconds, Histogram latency) {
    }

    private WrkRun wrk(Target target, Scenarios.Call call, int seconds) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("wrk", "-t1", "-c" + CONCURRENCY, "-d" + seconds + "s",
                "--timeout", "10s", "-s", options.get("lua"),
                "http://127.0.0.1:" + target.port() + call.path()).redirectErrorStream(true);
        builder.environment().put("BENCH_BODY", call.body());
        if (target.isTomcat()) {
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

    /** The JFR recordings of {@code --profile}: the current WAR under each selected concurrent or streaming workload, after the measurements. */
    Map<String, Object> profile(Target current, List<Scenarios.Scenario> scenarios, Path outDir) throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        for (Scenarios.Scenario scenario : scenarios) {
            // The concurrent and streaming workloads; sequential and trickle runs say little about CPU per request.
            if (scenario.kind() != Scenarios.Kind.CONCURRENT && scenario.kind() != Scenarios.Kind.STREAM) {
                continue;
            }
            Path file = outDir.resolve("profile-" + scenario.id() + ".jfr").toAbsolutePath();
            Bench.log("profile: " + scenario.id() + " for " + options.get("seconds") + " s with JFR");
            Proc.run("jcmd", current.pid(), "JFR.start", "name=bench", "settings=profile", "filename=" + file);
            Scenarios.Call call = scenario.gateway();
            LoadClient.closedLoop(current.address(), request(current, call), call.end(), CONCURRENCY, intOption("seconds"));
            Proc.run("jcmd", current.pid(), "JFR.stop", "name=bench");
            result.put(scenario.id(), Profile.summarise(file));
        }
        return result;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The targets starting at {@code turn} (mod their number): each slice starts with the next one. */
    private static List<Target> rotated(List<Target> live, int turn) {
        List<Target> order = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            order.add(live.get((turn + i) % live.size()));
        }
        return order;
    }

    /** Heap in use after a full GC, in KB, from {@code jcmd GC.run} then {@code GC.heap_info}. */
    private static long heapAfterGc(Target target) {
        Proc.run("jcmd", target.pid(), "GC.run");
        String info = Proc.run("jcmd", target.pid(), "GC.heap_info");
        Matcher used = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("cannot read GC.heap_info:\n" + info);
        }
        return Long.parseLong(used.group(1));
    }

    private static long outOfMemoryErrors(Target target) {
        return Pattern.compile("OutOfMemoryError").matcher(Proc.read(target.log())).results().count();
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
}
