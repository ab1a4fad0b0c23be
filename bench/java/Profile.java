import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a JFR recording's CPU samples ({@code jdk.ExecutionSample}): the hottest methods by
 * self time, the share of each component (Switchboard, Tomcat, HttpClient, JSON, NIO, JDK) by
 * self and inclusive time, the hottest Switchboard methods inclusive, and the samples by thread
 * pool. JFR samples Java code only: time in syscalls and in the JVM itself (GC, JIT) is not in
 * these figures. Stateless.
 */
final class Profile {
    private static final int TOP = 15;

    /** Component by package prefix; the first match wins. */
    private static final String[][] COMPONENTS = {
            {"dev.switchboard.", "Switchboard"},
            {"org.apache.hc.", "HttpClient 5"},
            {"org.apache.coyote.", "Tomcat"},
            {"org.apache.tomcat.", "Tomcat"},
            {"org.apache.catalina.", "Tomcat"},
            {"org.eclipse.parsson.", "JSON (Parsson/Yasson)"},
            {"org.eclipse.yasson.", "JSON (Parsson/Yasson)"},
            {"jakarta.json.", "JSON (Parsson/Yasson)"},
            {"io.github.resilience4j.", "Resilience4j/Bucket4j"},
            {"io.github.bucket4j.", "Resilience4j/Bucket4j"},
            {"org.h2.", "H2 (ledger)"},
            {"com.zaxxer.hikari.", "HikariCP (ledger)"},
            {"com.knuddels.jtokkit.", "jtokkit (estimates)"},
            {"sun.nio.", "NIO"},
            {"java.nio.", "NIO"},
    };

    private Profile() {
    }

    static Map<String, Object> summarise(Path recording) {
        String text = Proc.run("jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96",
                recording.toString());
        List<List<String>> stacks = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        List<String> stack = null;
        String thread = "";
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("sampledThread = ")) {
                int open = line.indexOf('"');
                thread = line.substring(open + 1, line.indexOf('"', open + 1)).replaceAll("[0-9]+", "#");
            } else if (line.startsWith("stackTrace = [")) {
                stack = new ArrayList<>();
            } else if (stack != null && line.equals("]")) {
                stacks.add(stack);
                threads.add(thread);
                stack = null;
            } else if (stack != null && !line.equals("...")) {
                int paren = line.indexOf('(');
                stack.add(paren > 0 ? line.substring(0, paren) : line);
            }
        }
        int samples = stacks.size();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> selfByComponent = new HashMap<>();
        Map<String, Integer> inclusiveByComponent = new HashMap<>();
        Map<String, Integer> switchboardInclusive = new HashMap<>();
        Map<String, Integer> byThread = new HashMap<>();
        for (int i = 0; i < samples; i++) {
            List<String> frames = stacks.get(i);
            if (frames.isEmpty()) {
                continue;
            }
            self.merge(frames.get(0), 1, Integer::sum);
            selfByComponent.merge(component(frames.get(0)), 1, Integer::sum);
            byThread.merge(threads.get(i), 1, Integer::sum);
            Set<String> components = new HashSet<>();
            Set<String> methods = new HashSet<>();
            for (String frame : frames) {
                components.add(component(frame));
                if (frame.startsWith("dev.switchboard.")) {
                    methods.add(frame);
                }
            }
            components.forEach(c -> inclusiveByComponent.merge(c, 1, Integer::sum));
            methods.forEach(m -> switchboardInclusive.merge(m, 1, Integer::sum));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("samples", samples);
        summary.put("self_by_component_pct", top(selfByComponent, samples, 20));
        summary.put("inclusive_by_component_pct", top(inclusiveByComponent, samples, 20));
        summary.put("samples_by_thread_pct", top(byThread, samples, 8));
        summary.put("top_self_pct", top(self, samples, TOP));
        summary.put("top_switchboard_inclusive_pct", top(switchboardInclusive, samples, TOP));
        return summary;
    }

    private static String component(String frame) {
        for (String[] component : COMPONENTS) {
            if (frame.startsWith(component[0])) {
                return component[1];
            }
        }
        return "JDK and other";
    }

    private static Map<String, Object> top(Map<String, Integer> counts, int samples, int limit) {
        Map<String, Object> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
                .limit(limit)
                .forEach(e -> top.put(e.getKey(), Bench.round(100.0 * e.getValue() / Math.max(1, samples), 1)));
        return top;
    }

    static String markdown(Map<?, ?> profile) {
        StringBuilder md = new StringBuilder("\nWhere the gateway's CPU goes (JFR execution samples, Java code only; "
                + "syscalls, GC and JIT are not sampled):\n");
        for (Map.Entry<?, ?> entry : profile.entrySet()) {
            Map<String, Object> summary = Report.map(profile, (String) entry.getKey());
            md.append("\n**").append(entry.getKey()).append("** (").append(summary.get("samples")).append(" samples)\n\n");
            md.append("- self time by component: ").append(percentages(Report.map(summary, "self_by_component_pct"))).append("\n");
            md.append("- inclusive by component: ").append(percentages(Report.map(summary, "inclusive_by_component_pct"))).append("\n");
            md.append("- by thread: ").append(percentages(Report.map(summary, "samples_by_thread_pct"))).append("\n");
            md.append("- hottest methods (self): ").append(percentages(Report.map(summary, "top_self_pct"))).append("\n");
            md.append("- hottest Switchboard methods (inclusive): ")
                    .append(percentages(Report.map(summary, "top_switchboard_inclusive_pct"))).append("\n");
        }
        return md.toString();
    }

    private static String percentages(Map<String, Object> shares) {
        StringBuilder text = new StringBuilder();
        shares.forEach((name, pct) -> text.append(text.length() == 0 ? "" : ", ").append('`').append(name)
                .append("` ").append(pct).append('%'));
        return text.toString();
    }
}
