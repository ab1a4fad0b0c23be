package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that leave streams must not disturb anybody else, on every container with its own
 * defaults (docs/tomcat-async-write-race.md). For a while, some clients open a stream from a
 * provider that trickles chunks (so the gateway writes from the upstream client's threads) and
 * close the connection after the first event, while other clients send plain requests over
 * keep-alive connections; every plain request must be answered, and once everybody has left, no
 * exchange and no upstream connection may remain. Raw sockets, so that the test sees resets and
 * answers that never come as they happen.
 */
@ExtendWith(ArquillianExtension.class)
class AbandonedStreamsIT {
    static final String TOKEN = "sb-it-abandoned";
    static final String SCRAPER = "sb-it-abandoned-scraper";
    static final int LEAVING_CLIENTS = 16;
    static final int PLAIN_CLIENTS = 16;
    static final long LOAD_MILLIS = 15_000;
    /** A plain request unanswered this long counts as stuck. */
    static final int ANSWER_TIMEOUT_MILLIS = 10_000;
    /** After the last client left, the exchanges and upstream connections must be gone within this. */
    static final long SETTLE_MILLIS = 10_000;
    static final long TRICKLE_GAP_MILLIS = 20;

    /**
     * The long message the echo leavers send: its stream is written from inside the container's
     * read callback, where the first chunk has long gone out before the client leaves.
     */
    static final String LONG_ECHO = "word ".repeat(Integer.getInteger("abandoned.echo.words", 8000));

    static MockUpstream upstream;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new MockUpstream();
        String model = "upstream-model-t";
        upstream.fallback(request -> MockUpstream.Reply.trickle(
                List.of(OpenAiWire.chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null)),
                OpenAiWire.chunk(model, "{\"content\":\"tick \"}", null), TRICKLE_GAP_MILLIS));
        return GatewayDeployment.withConfig("abandoned-streams", """
                {
                  "providers": {
                    "trickle": {"type": "openai", "baseUrl": "%s/v1", "apiKey": "sk-trickle"},
                    "echo": {"type": "echo"}
                  },
                  "models": {
                    "trickle": {"provider": "trickle", "upstreamModel": "%s"},
                    "echo": {"provider": "echo"}
                  },
                  "tokens": [
                    {"name": "it", "token": "%s"},
                    {"name": "scraper", "token": "%s", "metrics": true, "models": []}
                  ]
                }
                """.formatted(upstream.url(), model, TOKEN, SCRAPER));
    }

    @AfterAll
    static void stopUpstream() throws IOException {
        if (upstream != null) {
            upstream.close();
        }
    }

    /** How a plain request went wrong. */
    enum Failure { RESET, NO_ANSWER, WRONG_ANSWER }

    @Test
    void clientsLeavingStreamsDisturbNoOtherRequestAndLeaveNothingBehind() throws Exception {
        long until = System.nanoTime() + LOAD_MILLIS * 1_000_000;
        AtomicLong streamsLeft = new AtomicLong();
        AtomicLong plainAnswered = new AtomicLong();
        Map<Failure, AtomicLong> failures = new EnumMap<>(Failure.class);
        for (Failure failure : Failure.values()) {
            failures.put(failure, new AtomicLong());
        }
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < LEAVING_CLIENTS; i++) {
            // Half from the trickling upstream (written on the upstream client's threads), half from
            // echo (written on container threads).
            boolean echo = i % 2 == 1;
            clients.add(new Thread(() -> leaveStreams(echo ? "echo" : "trickle", echo ? LONG_ECHO : "go", until,
                    streamsLeft), "leaving-client-" + i));
        }
        for (int i = 0; i < PLAIN_CLIENTS; i++) {
            int client = i;
            clients.add(new Thread(() -> sendPlainRequests(client, until, plainAnswered, failures), "plain-client-" + i));
        }
        for (Thread client : clients) {
            client.start();
        }
        for (Thread client : clients) {
            client.join();
        }

        long settleUntil = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        double activeStreams = activeStreams();
        long openUpstreams = openUpstreams();
        while ((activeStreams != 0 || openUpstreams != 0) && System.nanoTime() < settleUntil) {
            Thread.sleep(200);
            activeStreams = activeStreams();
            openUpstreams = openUpstreams();
        }
        String summary = String.format(Locale.ROOT,
                "%d streams left; %d plain requests answered, failed: %s; after %d s: active streams %.0f, "
                        + "open upstream connections %d of %d",
                streamsLeft.get(), plainAnswered.get(), failures, SETTLE_MILLIS / 1000, activeStreams,
                openUpstreams, upstream.exchanges().size());
        System.out.println("AbandonedStreamsIT: " + summary);

        assertThat(streamsLeft.get()).as(summary).isGreaterThan(LEAVING_CLIENTS);
        assertThat(plainAnswered.get()).as(summary).isGreaterThan(PLAIN_CLIENTS);
        assertThat(failures.values().stream().mapToLong(AtomicLong::get).sum()).as(summary).isZero();
        assertThat(activeStreams).as(summary).isZero();
        assertThat(openUpstreams).as(summary).isZero();
    }

    /** Opens streams and closes each connection as soon as the first event has arrived. */
    private void leaveStreams(String model, String message, long until, AtomicLong streamsLeft) {
        while (System.nanoTime() < until) {
            try (Socket socket = connect()) {
                send(socket.getOutputStream(), "POST", "v1/chat/completions", TOKEN,
                        "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                        + message + "\"}]}");
                InputStream in = new BufferedInputStream(socket.getInputStream());
                if (readHead(in).status() == 200 && readUntil(in, "\n\n")) {
                    streamsLeft.incrementAndGet();
                }
            } catch (IOException e) {
                // This client is leaving anyway; only the plain clients' experience is asserted.
            }
        }
    }

    /** Alternates a completion and a health check over one keep-alive connection; a new one after a failure. */
    private void sendPlainRequests(int client, long until, AtomicLong answered, Map<Failure, AtomicLong> failures) {
        int sequence = 0;
        while (System.nanoTime() < until) {
            try (Socket socket = connect()) {
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                while (System.nanoTime() < until) {
                    String expected = "plain " + client + " " + sequence++;
                    send(out, "POST", "v1/chat/completions", TOKEN, "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"" + expected + "\"}]}");
                    Response completion = readResponse(in);
                    send(out, "GET", "healthz", null, null);
                    Response health = readResponse(in);
                    if (completion.status() != 200 || !completion.body().contains(expected)
                            || health.status() != 200 || !health.body().contains("ok")) {
                        failures.get(Failure.WRONG_ANSWER).incrementAndGet();
                        break;
                    }
                    answered.addAndGet(2);
                    if (completion.closes() || health.closes()) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                failures.get(Failure.NO_ANSWER).incrementAndGet();
            } catch (IOException e) {
                failures.get(Failure.RESET).incrementAndGet();
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private void send(OutputStream out, String method, String path, String token, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(base.getPath()).append(path)
                .append(" HTTP/1.1\r\nHost: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    record Head(int status, Map<String, String> headers) {
    }

    record Response(int status, Map<String, String> headers, String body) {
        boolean closes() {
            return "close".equalsIgnoreCase(headers.get("connection"));
        }
    }

    private static Head readHead(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("connection closed before an answer");
        }
        Map<String, String> headers = new HashMap<>();
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        if (header == null) {
            throw new IOException("connection closed inside the head");
        }
        return new Head(Integer.parseInt(statusLine.split(" ")[1]), headers);
    }

    private static Response readResponse(InputStream in) throws IOException {
        Head head = readHead(in);
        byte[] body;
        if (head.headers().containsKey("content-length")) {
            int length = Integer.parseInt(head.headers().get("content-length"));
            body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("connection closed inside the body");
            }
        } else if ("chunked".equalsIgnoreCase(head.headers().get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            int size;
            while ((size = Integer.parseInt(requireLine(in).split(";")[0].trim(), 16)) > 0) {
                chunks.write(in.readNBytes(size));
                requireLine(in);
            }
            requireLine(in);
            body = chunks.toByteArray();
        } else {
            throw new IOException("an answer without a length: " + head);
        }
        return new Response(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8));
    }

    /** Reads until {@code marker} has gone by; false if the connection ended first. */
    private static boolean readUntil(InputStream in, String marker) throws IOException {
        byte[] wanted = marker.getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            matched = b == wanted[matched] ? matched + 1 : (b == wanted[0] ? 1 : 0);
            if (matched == wanted.length) {
                return true;
            }
        }
        return false;
    }

    private static String requireLine(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            throw new IOException("connection closed inside a chunked body");
        }
        return line;
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

    private double activeStreams() throws IOException {
        try (Socket socket = connect()) {
            send(socket.getOutputStream(), "GET", "metrics", SCRAPER, null);
            Response metrics = readResponse(new BufferedInputStream(socket.getInputStream()));
            Matcher matcher = Pattern.compile("(?m)^switchboard_active_streams (\\S+)$").matcher(metrics.body());
            if (metrics.status() != 200 || !matcher.find()) {
                throw new AssertionError("no switchboard_active_streams in /metrics: " + metrics.status());
            }
            return Double.parseDouble(matcher.group(1));
        }
    }

    private static long openUpstreams() {
        return upstream.exchanges().stream().filter(exchange -> !exchange.isClosed()).count();
    }
}
