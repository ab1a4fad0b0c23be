package dev.switchboard.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads the integration-test Tomcat's log files, which its logging.properties (ours) writes. */
final class TomcatLogs {
    private TomcatLogs() {
    }

    private static Path logs() {
        return Path.of(System.getProperty("tomcat.home", "target/tomcat"), "logs");
    }

    /** All lines of the files whose names start with {@code prefix}. */
    static List<String> lines(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(logs())) {
            return files.filter(path -> path.getFileName().toString().startsWith(prefix)).sorted()
                    .flatMap(path -> {
                        try {
                            return Files.readAllLines(path, StandardCharsets.UTF_8).stream();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        }
    }

    /** Waits for a line matching, as the log handlers write asynchronously. */
    static String awaitLine(String prefix, Predicate<String> matching, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            for (String line : lines(prefix)) {
                if (matching.test(line)) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line in " + prefix + "* matched within " + timeoutMillis + " ms");
    }
}
