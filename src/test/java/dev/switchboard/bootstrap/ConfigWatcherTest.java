package dev.switchboard.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real file system and WatchService: each way a file gets changed, seen once. */
class ConfigWatcherTest {
    /** Generous: the watcher settles for 200 ms; some file systems report late. */
    static final long WAIT_SECONDS = 10;
    /** Long enough that a callback that is going to come has come. */
    static final long QUIET_MILLIS = 1_500;

    @TempDir
    Path dir;

    final Semaphore changes = new Semaphore(0);

    @Test
    void aFileWrittenInPlaceCallsBackOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("switchboard.json"), "{\"a\":1}");
        try (ConfigWatcher ignored = new ConfigWatcher(file, Files.readAllBytes(file), content -> changes.release())) {
            Files.writeString(file, "{\"a\":2}");

            assertThat(changes.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(changes.tryAcquire(QUIET_MILLIS, TimeUnit.MILLISECONDS)).as("a second callback").isFalse();
        }
    }

    @Test
    void aWriteInPlaceSeenBetweenItsTruncationAndItsBytesCallsBackOnceWithTheBytes() throws Exception {
        Path file = Files.writeString(dir.resolve("switchboard.json"), "{\"a\":1}");
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (ConfigWatcher ignored = new ConfigWatcher(file, Files.readAllBytes(file), content -> {
            seen.add(new String(content, StandardCharsets.UTF_8));
            changes.release();
        })) {
            // What a loaded machine does to Files.writeString: the truncation is seen on its own.
            Files.write(file, new byte[0]);
            Thread.sleep(ConfigWatcher.SETTLE_MILLIS * 3);
            Files.writeString(file, "{\"a\":2}");

            assertThat(changes.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(changes.tryAcquire(QUIET_MILLIS, TimeUnit.MILLISECONDS)).as("a second callback").isFalse();
            assertThat(seen).containsExactly("{\"a\":2}");
        }
    }

    @Test
    void aNewFileRenamedOverTheOldOneCallsBack() throws Exception {
        Path file = Files.writeString(dir.resolve("switchboard.json"), "{\"a\":1}");
        try (ConfigWatcher ignored = new ConfigWatcher(file, Files.readAllBytes(file), content -> changes.release())) {
            Path next = Files.writeString(dir.resolve(".switchboard.json.tmp"), "{\"a\":2}");
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            assertThat(changes.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aKubernetesConfigMapSymlinkSwapCallsBack() throws Exception {
        // The kubelet's layout: the file links to ..data/switchboard.json, ..data links to a
        // timestamped directory, and an update swaps ..data atomically; no event names the file.
        Path first = Files.createDirectories(dir.resolve("..2026_11_26_01_00_00.1"));
        Files.writeString(first.resolve("switchboard.json"), "{\"a\":1}");
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path file = Files.createSymbolicLink(dir.resolve("switchboard.json"), Path.of("..data", "switchboard.json"));
        try (ConfigWatcher ignored = new ConfigWatcher(file, Files.readAllBytes(file), content -> changes.release())) {
            Path second = Files.createDirectories(dir.resolve("..2026_11_26_01_05_00.2"));
            Files.writeString(second.resolve("switchboard.json"), "{\"a\":2}");
            Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
            Files.move(swap, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            assertThat(changes.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aChangeMadeAfterTheConfigurationWasReadButBeforeTheWatchBeganCallsBack() throws Exception {
        byte[] applied = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        Path file = Files.writeString(dir.resolve("switchboard.json"), "{\"a\":2}");
        try (ConfigWatcher ignored = new ConfigWatcher(file, applied, content -> changes.release())) {
            assertThat(changes.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).as("no event will ever name it").isTrue();
            assertThat(changes.tryAcquire(QUIET_MILLIS, TimeUnit.MILLISECONDS)).as("a second callback").isFalse();
        }
    }

    @Test
    void eventsThatLeaveTheContentAsItWasDoNotCallBack() throws Exception {
        Path file = Files.writeString(dir.resolve("switchboard.json"), "{\"a\":1}");
        try (ConfigWatcher ignored = new ConfigWatcher(file, Files.readAllBytes(file), content -> changes.release())) {
            Files.writeString(dir.resolve("unrelated.txt"), "x");
            Files.writeString(file, "{\"a\":1}");

            assertThat(changes.tryAcquire(QUIET_MILLIS, TimeUnit.MILLISECONDS)).isFalse();
            // And it still watches: a real change comes through.
            Files.writeString(file, "{\"a\":3}");
            assertThat(changes.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }
}
