package dev.switchboard.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A provider stand-in on loopback for integration tests: a raw HTTP/1.1 server, so that the test
 * controls every byte on the wire (chunk boundaries, a connection dropped mid-stream, a reply that
 * never comes) and can observe the gateway closing its connection. Replies are scripted per test
 * with {@link #enqueue}; each request and the moment its connection closed are recorded.
 */
public final class MockUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "mock-upstream");
        thread.setDaemon(true);
        return thread;
    });
    private final BlockingQueue<Reply> script = new LinkedBlockingQueue<>();
    private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<Request, Reply> fallback = request -> Reply.json(500, "{\"error\":{\"message\":\"no reply scripted\"}}");

    public MockUpstream() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The next request gets this reply (first in, first out); the fallback serves the rest. */
    public MockUpstream enqueue(Reply reply) {
        script.add(reply);
        return this;
    }

    public void fallback(Function<Request, Reply> reply) {
        fallback = reply;
    }

    /** Forgets recorded exchanges and pending scripted replies between tests. */
    public void reset() {
        script.clear();
        exchanges.clear();
    }

    public List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    /** Waits until {@code count} requests have arrived and returns the last of them. */
    public Exchange awaitExchange(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            synchronized (exchanges) {
                if (exchanges.size() >= count) {
                    return exchanges.get(count - 1);
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("expected " + count + " upstream request(s), saw " + exchanges.size());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Request request = Request.read(in);
            if (request == null) {
                return;
            }
            Exchange exchange = new Exchange(request, socket.getOutputStream());
            exchanges.add(exchange);
            // The gateway sends nothing after its request, so the next read returns only when it
            // closes the connection (or resets it): that is how a test sees an upstream cancelled.
            threads.execute(() -> {
                try {
                    while (in.read() >= 0) {
                        // Discard: nothing more is expected.
                    }
                } catch (IOException ignored) {
                    // A reset is a close too.
                }
                exchange.closed.complete(System.nanoTime());
            });
            Reply reply = script.poll();
            (reply == null ? fallback.apply(request) : reply).write(exchange);
        } catch (IOException e) {
            // The gateway went away while we wrote; recorded by the watcher above.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }

    /** A request as the upstream received it. */
    public record Request(String method, String target, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        static Request read(InputStream in) throws IOException {
            String requestLine = line(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return null;
            }
            String[] parts = requestLine.split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            String header;
            while ((header = line(in)) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                // A repeated header reads as its values joined, as HTTP combines them (RFC 9110 §5.3).
                headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim(),
                        (first, next) -> first + ", " + next);
            }
            byte[] body;
            if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int size;
                while ((size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0) {
                    out.write(in.readNBytes(size));
                    line(in);
                }
                line(in);
                body = out.toByteArray();
            } else {
                body = new byte[0];
            }
            return new Request(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
            }
            return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** One request, the stream its reply goes to, and when the gateway closed the connection. */
    public static final class Exchange {
        private final Request request;
        private final OutputStream out;
        final CompletableFuture<Long> closed = new CompletableFuture<>();

        Exchange(Request request, OutputStream out) {
            this.request = request;
            this.out = out;
        }

        public Request request() {
            return request;
        }

        /** Nanotime at which the gateway closed this connection; fails the test after the timeout. */
        public long awaitClosed(long timeoutMillis) throws Exception {
            return closed.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        public boolean isClosed() {
            return closed.isDone();
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void writeChunk(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    /** A scripted reply. */
    @FunctionalInterface
    public interface Reply {
        void write(Exchange exchange) throws IOException, InterruptedException;

        /** A complete JSON response with the given status and extra headers ("Name: value"). */
        static Reply json(int status, String body, String... headers) {
            return exchange -> {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\n")
                        .append("Content-Type: application/json\r\n")
                        .append("Content-Length: ").append(bytes.length).append("\r\n")
                        .append("Connection: close\r\n");
                for (String header : headers) {
                    head.append(header).append("\r\n");
                }
                exchange.write(head.append("\r\n").toString());
                exchange.out.write(bytes);
                exchange.out.flush();
            };
        }

        /** An event stream: each element is written as one HTTP chunk, {@code gapMillis} apart. */
        static Reply sse(List<String> events, long gapMillis) {
            return exchange -> {
                sseHead(exchange);
                for (String event : events) {
                    exchange.writeChunk(event);
                    if (gapMillis > 0) {
                        Thread.sleep(gapMillis);
                    }
                }
                exchange.write("0\r\n\r\n");
            };
        }

        /** Sends the first {@code keep} events, then drops the connection without ending the body. */
        static Reply sseThenDrop(List<String> events, int keep) {
            return exchange -> {
                sseHead(exchange);
                for (int i = 0; i < keep; i++) {
                    exchange.writeChunk(events.get(i));
                }
                Thread.sleep(100);
                exchange.out.close();
            };
        }

        /**
         * Sends {@code events}, each as one chunk, and then holds the response open without
         * ending its body, as a provider or proxy that is slow to close does; returns once the
         * gateway closes the connection (or after a minute).
         */
        static Reply sseThenHold(List<String> events) {
            return exchange -> {
                sseHead(exchange);
                for (String event : events) {
                    exchange.writeChunk(event);
                }
                try {
                    exchange.closed.get(1, TimeUnit.MINUTES);
                } catch (Exception e) {
                    throw new IOException(e);
                }
            };
        }

        /** Streams {@code event} every {@code gapMillis} until the gateway closes the connection. */
        static Reply trickle(List<String> first, String event, long gapMillis) {
            return exchange -> {
                sseHead(exchange);
                for (String e : first) {
                    exchange.writeChunk(e);
                }
                while (!exchange.isClosed()) {
                    exchange.writeChunk(event);
                    Thread.sleep(gapMillis);
                }
            };
        }

        /** Never answers; returns once the gateway gives up and closes the connection. */
        static Reply hang() {
            return exchange -> {
                try {
                    exchange.closed.get(10, TimeUnit.MINUTES);
                } catch (Exception e) {
                    throw new IOException(e);
                }
            };
        }

        private static void sseHead(Exchange exchange) throws IOException {
            exchange.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        }
    }
}
