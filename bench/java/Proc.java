import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** What the harness reads from Linux's /proc, and the one helper that runs a command. Stateless. */
final class Proc {
    private Proc() {
    }

    /** {utime, stime} of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    static long[] cpuTicks(String pid) {
        String[] fields = statFields(pid);
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    /**
     * This JVM's own CPU and that of the children it has reaped (cutime + cstime), in clock
     * ticks. The harness runs wrk as a child and waits for it, so the second figure grows by
     * exactly wrk's CPU time.
     */
    static long[] selfAndChildrenTicks() {
        String[] fields = statFields("self");
        return new long[] {Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                Long.parseLong(fields[13]) + Long.parseLong(fields[14])};
    }

    /** The fields after the command name, which may itself hold spaces and parentheses. */
    private static String[] statFields(String pid) {
        String stat = read(Path.of("/proc", pid, "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** A numeric field of /proc/PID/status, e.g. Threads, or VmRSS (in kB). */
    static long status(String pid, String field) {
        for (String line : read(Path.of("/proc", pid, "status")).split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    /** The whole machine's {busy, total} clock ticks, from the first line of /proc/stat. */
    static long[] machineTicks() {
        String[] fields = read(Path.of("/proc/stat")).split("\n")[0].trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < fields.length && i <= 8; i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
        return new long[] {total - idle, total};
    }

    /** Thread counts of a process by name, digits folded ("http-nio-8080-exec-7" counts as "http-nio-#-exec-#"). */
    static Map<String, Integer> threadGroups(String pid) {
        Map<String, Integer> groups = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#");
                    groups.merge(name, 1, Integer::sum);
                } catch (IOException gone) {
                    // The thread ended while we listed them.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return groups;
    }

    static String firstLine(Path file, String prefix) {
        for (String line : read(file).split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "";
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #run}, or "" when the command is not there. */
    static String runOrEmpty(String... command) {
        try {
            return run(command);
        } catch (UncheckedIOException notInstalled) {
            return "";
        }
    }

    /** Runs a command to completion and returns its stdout and stderr together. */
    static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
