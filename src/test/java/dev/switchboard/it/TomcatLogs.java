package dev.switchboard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads the integration-test Tomcat's log files, which its logging.properties (ours) writes. The
 * unpacked Tomcat is reused from build to build, so its logs hold earlier runs too: tests read
 * only what was written after a {@link Mark}.
 */
final class TomcatLogs {
    private TomcatLogs() {
    }

    /** Where each log file ended when the mark was taken. */
    record Mark(Map<Path, Long> sizes) {
    }

    private static Path logs() {
        return Path.of(System.getProperty("tomcat.home", "target/tomcat"), "logs");
    }

    private static List<Path> files(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(logs())) {
            return files.filter(path -> path.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }

    /** The end of every log file now. */
    static Mark mark() throws IOException {
        Map<Path, Long> sizes = new HashMap<>();
        for (Path file : files("")) {
            sizes.put(file, Files.size(file));
        }
        return new Mark(sizes);
    }

    /** The lines written after {@code since} to the files whose names start with {@code prefix}. */
    static List<String> linesSince(Mark since, String prefix) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path file : files(prefix)) {
            byte[] bytes = Files.readAllBytes(file);
            int from = (int) Math.min(since.sizes().getOrDefault(file, 0L), bytes.length);
            String text = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
            text.lines().forEach(lines::add);
        }
        return lines;
    }

    /**
     * The warnings Tomcat's leak detection wrote about {@code webapp} after {@code since}: a thread
     * it started and left running, a ThreadLocal or other reference keeping its class loader.
     */
    static List<String> leakWarnings(Mark since, String webapp) throws IOException {
        return linesSince(since, "catalina.").stream()
                .filter(line -> line.contains("[" + webapp + "]"))
                .filter(line -> line.contains("appears to have started a thread") || line.contains("memory leak")
                        || line.contains("failed to stop") || line.contains("ThreadLocal"))
                // Tomcat's own utility pool starts its threads lazily, and one started while a
                // request of the webapp ran is charged to the webapp; it is not ours to stop.
                .filter(line -> !line.contains("named [Catalina-utility-"))
                .toList();
    }

    /** Waits for a line written after {@code since} that matches, as the log handlers write asynchronously. */
    static String awaitLine(Mark since, String prefix, Predicate<String> matching, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try {
                for (String line : linesSince(since, prefix)) {
                    if (matching.test(line)) {
                        return line;
                    }
                }
            } catch (UncheckedIOException | IOException rotatingOrBeingWritten) {
                // Try again on the next round.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line written to " + prefix + "* matched within " + timeoutMillis + " ms");
    }
}
