package dev.switchboard.bootstrap;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file and calls back when it changed. It watches the file's directory,
 * because configuration management usually writes a new file and renames it over the old one,
 * which a watch on the file itself would miss. A burst of events (write, then rename) is settled
 * for a moment before the callback runs, once. One daemon thread; closed with the application.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("switchboard");

    /** Quiet time after the last event before the file is read. */
    static final long SETTLE_MILLIS = 200;

    private final WatchService watchService;
    private final Thread thread;

    ConfigWatcher(Path file, Runnable onChange) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path name = file.getFileName();
        watchService = FileSystems.getDefault().newWatchService();
        directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        thread = new Thread(() -> run(name, onChange), "switchboard-config-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Path name, Runnable onChange) {
        try {
            while (true) {
                WatchKey key = watchService.take();
                boolean relevant = touches(key, name);
                // Settle: swallow the rest of a burst so that one save reloads once.
                WatchKey more;
                while ((more = watchService.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    relevant |= touches(more, name);
                }
                if (relevant) {
                    try {
                        onChange.run();
                    } catch (RuntimeException e) {
                        LOG.error("configuration reload failed", e);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed with the application.
        }
    }

    private static boolean touches(WatchKey key, Path name) {
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            relevant |= name.equals(event.context()) || event.kind() == StandardWatchEventKinds.OVERFLOW;
        }
        key.reset();
        return relevant;
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
