package dev.switchboard.state;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * Real Redis for tests, never a stand-in: the one on 127.0.0.1:6379 when it answers (this kind
 * of machine starts one), otherwise one the tests start themselves from Maven Central's
 * embedded-redis, so that {@code mvn verify} passes with only Java and Maven. A test that must
 * stop Redis mid-way gets an instance of its own ({@link #own}): the machine's
 * {@code redis-server} when there is one, else embedded-redis's. Keys go under a prefix of their
 * own per test run, so that runs and other users of a shared Redis never meet.
 */
public final class TestRedis {
    private static final String MACHINE_REDIS = "/usr/bin/redis-server";
    private static Owned shared;

    private TestRedis() {
    }

    /** The URL of a Redis for tests that do not stop it. */
    public static synchronized String sharedUrl() throws IOException {
        if (answers(6379)) {
            return "redis://127.0.0.1:6379";
        }
        if (shared == null) {
            shared = own();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared.url();
    }

    /** A prefix no other run uses. */
    public static String uniquePrefix() {
        return "switchboard-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** A Redis of the test's own on a free port; {@link Owned#stop} and {@link Owned#start} kill and revive it. */
    public static Owned own(String... settings) throws IOException {
        Owned owned = new Owned(freePort(), List.of(settings));
        owned.start();
        return owned;
    }

    /** Whether a Redis answers PING on 127.0.0.1:{@code port}. */
    public static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = in.readNBytes(reply, 0, 7);
            return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A redis-server process the test controls. */
    public static final class Owned implements AutoCloseable {
        private final int port;
        private final List<String> settings;
        private RedisServer server;

        Owned(int port, List<String> settings) {
            this.port = port;
            this.settings = settings;
        }

        public int port() {
            return port;
        }

        public String url() {
            return "redis://127.0.0.1:" + port;
        }

        /** Starts it (again), on the same port, empty: it keeps nothing on disk. */
        public synchronized void start() throws IOException {
            RedisServerBuilder builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no");
            if (new File(MACHINE_REDIS).canExecute()) {
                builder.executableProvider(() -> new File(MACHINE_REDIS));
            }
            for (String setting : settings) {
                builder.setting(setting);
            }
            server = builder.build();
            server.start();
        }

        /** Kills it: clients see their connection drop and new ones refused. */
        public synchronized void stop() throws IOException {
            if (server != null) {
                server.stop();
                server = null;
            }
        }

        @Override
        public void close() {
            try {
                stop();
            } catch (IOException e) {
                // Best effort at the end of a test run.
            }
        }
    }
}
