package dev.switchboard.bootstrap;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file and calls back when its content changed. It watches the file's
 * directory, because configuration management usually writes a new file and renames it over the
 * old one, which a watch on the file itself would miss; and it looks at the content after any
 * event there, because a Kubernetes ConfigMap changes by swapping a {@code ..data} symlink, and no
 * event names the file. A burst of events (write, then rename) is settled for a moment before the
 * file is read, so one change calls back once. One daemon thread; closed with the application.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("switchboard");

    /** Quiet time after the last event before the file is read. */
    static final long SETTLE_MILLIS = 200;

    private final WatchService watchService;
    private final Thread thread;
    private final Path file;
    private byte[] lastContent;

    /**
     * {@code applied} is the content the running configuration was parsed from; {@code onChange}
     * gets each new content as read, so that what is compared is what is applied. The file is
     * compared once more as soon as the watch is registered: a change made between the first read
     * and the registration raised no event, and would otherwise wait for the next one.
     */
    ConfigWatcher(Path file, byte[] applied, Consumer<byte[]> onChange) throws IOException {
        this.file = file.toAbsolutePath();
        this.lastContent = applied;
        watchService = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        thread = new Thread(() -> run(onChange), "switchboard-config-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Consumer<byte[]> onChange) {
        try {
            compare(onChange);
            while (true) {
                drain(watchService.take());
                // Settle: swallow the rest of a burst so that one save reloads once.
                WatchKey more;
                while ((more = watchService.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                compare(onChange);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed with the application.
        }
    }

    /** Calls back when the file's content differs from what was applied last. */
    private void compare(Consumer<byte[]> onChange) {
        byte[] content = read(file);
        // Missing for a moment (deleted, then renamed into place), or empty for a moment (a write
        // in place truncates first, and a busy machine can let the settle time pass before the
        // bytes follow): the next event tells. An empty file is never a configuration.
        if (content != null && content.length > 0 && !Arrays.equals(content, lastContent)) {
            lastContent = content;
            try {
                onChange.accept(content);
            } catch (RuntimeException e) {
                LOG.error("configuration reload failed", e);
            }
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    /** The file's bytes, following symlinks; null when it cannot be read right now. */
    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.debug("closing the configuration watcher failed", e);
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
