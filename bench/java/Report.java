import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the results tree as the Markdown tables of the issue, and as JSON. Stateless. */
final class Report {
    private Report() {
    }

    // ---- Markdown --------------------------------------------------------------------------------

    static String markdown(Map<String, Object> results) {
        Map<String, Object> machine = map(results, "machine");
        Map<String, Object> scenarios = map(results, "scenarios");
        StringBuilder md = new StringBuilder();
        md.append("## Switchboard benchmark, ").append(machine.get("started")).append("\n\n");
        md.append("Machine: ").append(machine.get("nproc")).append(" CPUs (").append(machine.get("cpu_model"))
                .append("), ").append(machine.get("mem_total")).append(", Linux ").append(machine.get("kernel"))
                .append("; ").append(machine.get("java")).append("; ").append(machine.get("wrk"))
                .append("; load average at start ").append(machine.get("loadavg_at_start")).append(".\n\n");

        md.append("| Scenario | Metric | Direct (mock) | Through gateway | Gateway adds | Target | Met |\n");
        md.append("|---|---|---:|---:|---:|---|---|\n");
        if (scenarios.containsKey("sequential")) {
            sequentialRows(md, map(scenarios, "sequential"));
        }
        if (scenarios.containsKey("nonstreaming_c32")) {
            nonStreamingRows(md, map(scenarios, "nonstreaming_c32"));
        }
        if (scenarios.containsKey("stream_openai_c32")) {
            streamingRows(md, "3a. OpenAI stream, 8 chunks, c=32", map(scenarios, "stream_openai_c32"), -1);
        }
        if (scenarios.containsKey("stream_anthropic_c32")) {
            streamingRows(md, "3b. Anthropic stream, 8 chunks, c=32", map(scenarios, "stream_anthropic_c32"), 400);
        }
        Map<String, Object> trickle = map(scenarios, "trickle");
        if (trickle != null) {
            trickleRows(md, map(scenarios, "trickle_direct_control"), trickle);
        }

        List<String> measured = List.of("nonstreaming_c32", "stream_openai_c32", "stream_anthropic_c32").stream()
                .filter(scenarios::containsKey).toList();
        if (!measured.isEmpty()) {
            md.append("\nCPU used during each measured run, in cores (of ").append(machine.get("nproc"))
                    .append("); \"other\" is everything else on the machine:\n\n");
            md.append("| Run | Gateway | Mock | Load generator | Other | Machine busy |\n|---|---:|---:|---:|---:|---:|\n");
        }
        for (String scenario : measured) {
            for (String side : List.of("direct", "gateway")) {
                Map<String, Object> cpu = map(map(map(scenarios, scenario), side), "cpu_cores");
                md.append("| ").append(scenario).append(", ").append(side).append(" | ").append(cpu.get("gateway"))
                        .append(" | ").append(cpu.get("mock")).append(" | ").append(cpu.get("load_generator"))
                        .append(" | ").append(cpu.get("other")).append(" | ").append(cpu.get("machine_busy")).append(" |\n");
            }
        }
        if (trickle != null && trickle.get("thread_groups") instanceof Map<?, ?> groups) {
            md.append("\nGateway JVM threads mid-hold, by name: ").append(describeGroups(groups)).append(".\n");
        }
        if (results.get("profile") instanceof Map<?, ?> profile) {
            md.append(Profile.markdown(profile));
        }
        md.append("\nSettings: ").append(map(results, "settings").entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))).append(".\n");
        return md.toString();
    }

    private static void sequentialRows(StringBuilder md, Map<String, Object> s) {
        Map<String, Object> d = map(s, "direct");
        Map<String, Object> g = map(s, "gateway");
        long addedP50 = num(s, "added_p50_us").longValue();
        long addedP99 = num(s, "added_p99_us").longValue();
        String name = "1. Sequential, non-streaming";
        row(md, name, "latency p50", ms(d, "p50_us"), ms(g, "p50_us"), plusMs(addedP50), "≤ 0.3 ms added", addedP50 <= 300);
        row(md, name, "latency p99", ms(d, "p99_us"), ms(g, "p99_us"), plusMs(addedP99), "≤ 2 ms added", addedP99 <= 2000);
        if (s.containsKey("time_weighted")) {
            // Not the target's figure: each request's own time is. This is how wrk would report it.
            Map<String, Object> w = map(s, "time_weighted");
            row(md, name, "latency p99 time-weighted (as wrk corrects it)", ms(w, "direct_p99_us"), ms(w, "gateway_p99_us"),
                    plusMs(num(w, "added_p99_us").longValue()), "", null);
        }
        row(md, name, "requests measured / errors", d.get("requests") + " / " + d.get("errors"),
                g.get("requests") + " / " + g.get("errors"), "", "no errors", num(g, "errors").longValue() == 0);
    }

    private static void nonStreamingRows(StringBuilder md, Map<String, Object> s) {
        Map<String, Object> d = map(s, "direct");
        Map<String, Object> g = map(s, "gateway");
        String name = "2. Non-streaming, c=32";
        long errors = num(g, "errors").longValue();
        row(md, name, "requests/s", count(d, "rps"), count(g, "rps"), "×" + s.get("rps_ratio"), "≥ 5,000, no errors",
                num(g, "rps").doubleValue() >= 5000 && errors == 0);
        row(md, name, "latency p50 / p99 (wrk's, corrected for coordinated omission)", ms(d, "p50_us") + " / " + ms(d, "p99_us"),
                ms(g, "p50_us") + " / " + ms(g, "p99_us"),
                plusMs(num(g, "p50_us").longValue() - num(d, "p50_us").longValue()) + " / "
                        + plusMs(num(g, "p99_us").longValue() - num(d, "p99_us").longValue()), "", null);
        row(md, name, "errors", String.valueOf(d.get("errors")), String.valueOf(errors), "", "0", errors == 0);
        row(md, name, "upstream calls / new upstream connections per request", "",
                g.get("upstream_requests_per_request") + " / " + g.get("upstream_connections_per_request"), "", "", null);
        double cpu = num(g, "gateway_cpu_us_per_request").doubleValue();
        row(md, name, "gateway CPU per request (kernel share)", "", cpuCell(g), "", "≤ 250 µs", cpu <= 250);
        row(md, name, "gateway GC pauses", "", pauses(map(g, "gateway_gc_pauses")), "", "", null);
    }

    private static void streamingRows(StringBuilder md, String name, Map<String, Object> s, double cpuTarget) {
        Map<String, Object> d = map(s, "direct");
        Map<String, Object> g = map(s, "gateway");
        row(md, name, "requests/s", count(d, "rps"), count(g, "rps"), "×" + s.get("rps_ratio"), "", null);
        row(md, name, "time to first byte p50 / p99", ms(d, "ttfb_p50_us") + " / " + ms(d, "ttfb_p99_us"),
                ms(g, "ttfb_p50_us") + " / " + ms(g, "ttfb_p99_us"),
                plusMs(num(g, "ttfb_p50_us").longValue() - num(d, "ttfb_p50_us").longValue()) + " / "
                        + plusMs(num(g, "ttfb_p99_us").longValue() - num(d, "ttfb_p99_us").longValue()), "", null);
        row(md, name, "whole stream p50 / p99", ms(d, "total_p50_us") + " / " + ms(d, "total_p99_us"),
                ms(g, "total_p50_us") + " / " + ms(g, "total_p99_us"), "", "", null);
        long errors = num(g, "errors").longValue();
        row(md, name, "errors", String.valueOf(d.get("errors")), errors + (g.containsKey("first_error")
                ? " (" + g.get("first_error") + ")" : ""), "", "0", errors == 0);
        row(md, name, "new upstream connections per request", "", String.valueOf(g.get("upstream_connections_per_request")),
                "", "", null);
        double cpu = num(g, "gateway_cpu_us_per_request").doubleValue();
        row(md, name, "gateway CPU per request (kernel share)", "", cpuCell(g), "",
                cpuTarget < 0 ? "" : "≤ " + (int) cpuTarget + " µs", cpuTarget < 0 ? null : cpu <= cpuTarget);
        row(md, name, "gateway GC pauses", "", pauses(map(g, "gateway_gc_pauses")), "", "", null);
    }

    private static void trickleRows(StringBuilder md, Map<String, Object> d, Map<String, Object> g) {
        String name = "4. " + String.format(Locale.ROOT, "%,d", num(g, "streams").longValue()) + " trickle streams, "
                + g.get("hold_seconds") + " s hold (control: " + d.get("hold_seconds") + " s)";
        long streams = num(g, "streams").longValue();
        row(md, name, "streams established (ramp time) / live when the hold began", established(d), established(g), "",
                "all", num(g, "live_at_hold_start").longValue() == streams);
        long stalled = num(g, "stalled").longValue();
        long lost = num(g, "lost_during_hold").longValue();
        row(md, name, "stalled > 3 s / lost during hold", d.get("stalled") + " / " + d.get("lost_during_hold"),
                stalled + " / " + lost, "", "0 / 0", stalled == 0 && lost == 0);
        row(md, name, "longest gap between data", d.get("max_gap_ms") + " ms", g.get("max_gap_ms") + " ms", "", "", null);
        if (g.get("stalls_by_second_of_hold") instanceof Map<?, ?> starts && !starts.isEmpty()) {
            row(md, name, "stalled streams by the second of the hold their gap began", "",
                    starts.entrySet().stream().map(e -> e.getKey() + " s: " + e.getValue())
                            .collect(Collectors.joining(", ")), "", "", null);
        }
        long peakThreads = num(g, "peak_threads").longValue();
        row(md, name, "JVM threads mid-hold / peak", "", g.get("threads") + " / " + peakThreads, "", "< 100",
                peakThreads < 100);
        long heap = num(g, "heap_after_gc_mb").longValue();
        row(md, name, "heap after full GC, streams open (before the ramp; per live stream)", "", heap + " MB (" + g.get("heap_before_mb")
                + " MB; " + g.get("heap_per_stream_kb") + " KB)", "", "< 512 MB", heap < 512);
        row(md, name, "RSS mid-hold / peak", "", g.get("rss_mb") + " / " + g.get("peak_rss_mb") + " MB", "", "", null);
        row(md, name, "CPU while holding, cores (control: the mock; through: the gateway)", String.valueOf(map(d, "hold_cpu_cores").get("mock")),
                String.valueOf(map(g, "hold_cpu_cores").get("gateway")), "", "", null);
        row(md, name, "gateway GC pauses while holding", "", pauses(map(g, "hold_gc_pauses")), "", "", null);
        long released = num(g, "release_ms").longValue();
        row(md, name, "all upstream requests released after clients left", releaseCell(d), releaseCell(g), "", "≤ 2 s",
                released >= 0 && released <= 2000);
        long oom = num(g, "out_of_memory_errors_logged").longValue();
        row(md, name, "gateway still answers afterwards (OutOfMemoryErrors logged)", "",
                (Boolean.TRUE.equals(g.get("gateway_answers_after")) ? "yes" : "no") + " (" + oom + ")", "", "yes (0)",
                Boolean.TRUE.equals(g.get("gateway_answers_after")) && oom == 0);
    }

    private static String established(Map<String, Object> s) {
        return s.get("established") + " (" + s.get("ramp_seconds") + " s) / " + s.get("live_at_hold_start");
    }

    private static String releaseCell(Map<String, Object> s) {
        long released = num(s, "release_ms").longValue();
        return released < 0 ? s.get("still_open_after_30s") + " still open after 30 s"
                : String.format(Locale.ROOT, "%.2f s (%s open)", released / 1000.0, s.get("mock_open_at_close"));
    }

    private static void row(StringBuilder md, String scenario, String metric, String direct, String gateway,
                            String adds, String target, Boolean met) {
        md.append("| ").append(scenario).append(" | ").append(metric).append(" | ").append(direct).append(" | ")
                .append(gateway).append(" | ").append(adds).append(" | ").append(target).append(" | ")
                .append(met == null ? "" : met ? "yes" : "**no**").append(" |\n");
    }

    private static String ms(Map<String, Object> side, String microsKey) {
        return String.format(Locale.ROOT, "%.3f ms", num(side, microsKey).doubleValue() / 1000);
    }

    private static String plusMs(long micros) {
        return String.format(Locale.ROOT, "%+.3f ms", micros / 1000.0);
    }

    private static String pauses(Map<String, Object> gc) {
        return gc.get("count") + " (" + gc.get("total_ms") + " ms in all, longest " + gc.get("longest_ms") + " ms)";
    }

    private static String cpuCell(Map<String, Object> gateway) {
        return String.format(Locale.ROOT, "%.0f µs (%.0f%%)", num(gateway, "gateway_cpu_us_per_request").doubleValue(),
                100 * num(gateway, "gateway_cpu_kernel_share").doubleValue());
    }

    private static String count(Map<String, Object> side, String key) {
        return String.format(Locale.ROOT, "%,.0f", num(side, key).doubleValue());
    }

    static String describeGroups(Map<?, ?> groups) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(groups.entrySet());
        entries.sort((a, b) -> Integer.compare(((Number) b.getValue()).intValue(), ((Number) a.getValue()).intValue()));
        return entries.stream().map(e -> "`" + e.getKey() + "` ×" + e.getValue()).collect(Collectors.joining(", "));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<?, ?> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    static Number num(Map<String, Object> parent, String key) {
        return (Number) parent.get(key);
    }

    // ---- JSON ------------------------------------------------------------------------------------

    static String json(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, "");
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            String inner = indent + "  ";
            out.append("{");
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "\n" : ",\n").append(inner);
                string(out, String.valueOf(entry.getKey()));
                out.append(": ");
                write(out, entry.getValue(), inner);
                first = false;
            }
            out.append(first ? "}" : "\n" + indent + "}");
        } else if (value instanceof List<?> list) {
            out.append("[");
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                write(out, list.get(i), indent);
            }
            out.append("]");
        } else if (value instanceof Number || value instanceof Boolean || value == null) {
            out.append(value);
        } else {
            string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
