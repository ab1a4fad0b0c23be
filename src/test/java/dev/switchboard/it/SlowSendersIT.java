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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that send their bodies a byte at a time, with and without a token, with a declared
 * length over the limit and within it, more of them than the container has threads, must not keep
 * {@code /healthz} and a valid completion from answering promptly; each of them gets its answer in
 * the API's error shape (401, 413, 408) and its connection is closed (docs/hostile-clients.md).
 * Raw sockets, so that the test controls every byte's timing.
 */
@ExtendWith(ArquillianExtension.class)
class SlowSendersIT {
    static final String TOKEN = "sb-it-slow-senders";
    /** Per kind; four kinds, more than the 200 threads of a stock Tomcat or Jetty. */
    static final int SENDERS_PER_KIND = 70;
    static final long TRICKLE_GAP_MILLIS = 1_500;
    /** How long the probes run while the slow senders are connected. */
    static final long PROBE_MILLIS = 6_000;
    /** A probe answered later than this counts as starved. */
    static final int PROMPT_MILLIS = 4_000;
    /** Every slow sender must have its answer and a closed connection within this. */
    static final long SENDER_DEADLINE_MILLIS = 15_000;
    static final long OVER_LIMIT = 64L * 1024 * 1024;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withConfig("slow-senders", """
                {
                  "providers": {"echo": {"type": "echo"}},
                  "models": {"echo": {"provider": "echo"}},
                  "tokens": [{"name": "it", "token": "%s"}],
                  "maxRequestBytes": 1048576,
                  "requests": {"bodyIdleMs": 3000, "bodyGraceMs": 2000, "bodyMinBytesPerSecond": 10}
                }
                """.formatted(TOKEN));
    }

    /** One kind of slow sender, and the status it must get. */
    enum Kind {
        NO_TOKEN_OVER_LIMIT(false, OVER_LIMIT, 401, "invalid_api_key"),
        NO_TOKEN_WITHIN_LIMIT(false, 1000, 401, "invalid_api_key"),
        TOKEN_OVER_LIMIT(true, OVER_LIMIT, 413, "request_too_large"),
        TOKEN_WITHIN_LIMIT(true, 1000, 408, "request_timeout");

        final boolean token;
        final long declared;
        final int status;
        final String code;

        Kind(boolean token, long declared, int status, String code) {
            this.token = token;
            this.declared = declared;
            this.status = status;
            this.code = code;
        }
    }

    record Outcome(Kind kind, int status, String body, boolean closed, long millis, String problem) {
        boolean ok() {
            return problem == null && status == kind.status && body.contains("\"" + kind.code + "\"") && closed
                    && millis <= SENDER_DEADLINE_MILLIS;
        }
    }

    @Test
    void slowSendersStarveNobodyAndEachGetsItsAnswer() throws Exception {
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (int i = 0; i < SENDERS_PER_KIND; i++) {
                Thread sender = new Thread(() -> outcomes.add(sendSlowly(kind)), "slow-" + kind + "-" + i);
                sender.setDaemon(true);
                senders.add(sender);
                sender.start();
            }
        }
        Thread.sleep(1_000);
        long slowestProbe = 0;
        List<String> probeFailures = new ArrayList<>();
        long until = System.nanoTime() + PROBE_MILLIS * 1_000_000;
        while (System.nanoTime() < until) {
            slowestProbe = Math.max(slowestProbe, probe("GET", "healthz", null, "\"ok\"", probeFailures));
            slowestProbe = Math.max(slowestProbe, probe("POST", "v1/chat/completions",
                    "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"still here\"}]}",
                    "still here", probeFailures));
            Thread.sleep(300);
        }
        for (Thread sender : senders) {
            sender.join(SENDER_DEADLINE_MILLIS + 5_000);
        }
        long good = outcomes.stream().filter(Outcome::ok).count();
        List<Outcome> bad = outcomes.stream().filter(outcome -> !outcome.ok()).limit(5).toList();
        String summary = String.format(Locale.ROOT, "slowest probe %d ms, probe failures %s; %d of %d slow senders"
                + " answered and closed as expected; some others: %s", slowestProbe, probeFailures, good,
                senders.size(), bad);
        System.out.println("SlowSendersIT: " + summary);
        assertThat(probeFailures).as(summary).isEmpty();
        assertThat(slowestProbe).as(summary).isLessThanOrEqualTo(PROMPT_MILLIS);
        assertThat(good).as(summary).isEqualTo(senders.size());
    }

    /**
     * Sends the head and then one byte of the body every {@link #TRICKLE_GAP_MILLIS}, reading
     * whatever comes back in between, until the server answers and closes the connection.
     */
    private Outcome sendSlowly(Kind kind) {
        long start = System.nanoTime();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String head = "POST " + base.getPath() + "v1/chat/completions HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + (kind.token ? "Authorization: Bearer " + TOKEN + "\r\n" : "")
                    + "Content-Type: application/json\r\nContent-Length: " + kind.declared + "\r\n\r\n{";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean writing = true;
            socket.setSoTimeout((int) TRICKLE_GAP_MILLIS);
            while (millisSince(start) < SENDER_DEADLINE_MILLIS) {
                int first;
                try {
                    first = in.read();
                } catch (SocketTimeoutException e) {
                    if (writing) {
                        try {
                            out.write(' ');
                            out.flush();
                        } catch (IOException closed) {
                            writing = false;
                        }
                    }
                    continue;
                }
                if (first < 0) {
                    return new Outcome(kind, 0, "", true, millisSince(start), "closed without an answer");
                }
                socket.setSoTimeout((int) SENDER_DEADLINE_MILLIS);
                Response response = readResponse(first, in);
                boolean closed = in.read() < 0;
                return new Outcome(kind, response.status(), response.body(), closed, millisSince(start), null);
            }
            return new Outcome(kind, 0, "", false, millisSince(start), "no answer");
        } catch (IOException e) {
            return new Outcome(kind, 0, "", false, millisSince(start), e.toString());
        }
    }

    /** One request on a connection of its own; how long its answer took. */
    private long probe(String method, String path, String body, String expected, List<String> failures) {
        long start = System.nanoTime();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(PROMPT_MILLIS * 3);
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + base.getPath() + path + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nConnection: close\r\n" + (body == null ? "" : "Authorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            int first = in.read();
            if (first < 0) {
                failures.add(path + ": closed without an answer");
                return millisSince(start);
            }
            Response response = readResponse(first, in);
            if (response.status() != 200 || !response.body().contains(expected)) {
                failures.add(path + ": " + response.status() + " " + response.body());
            }
        } catch (IOException e) {
            failures.add(path + ": " + e);
        }
        return millisSince(start);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    record Response(int status, String body) {
    }

    /** A response with a Content-Length, whose first byte has been read already. */
    private static Response readResponse(int first, InputStream in) throws IOException {
        String statusLine = (char) first + line(in);
        int length = -1;
        String header;
        while (!(header = line(in)).isEmpty()) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(header.indexOf(':') + 1).trim());
            }
        }
        if (length < 0) {
            throw new IOException("an answer without a length: " + statusLine);
        }
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b < 0) {
            throw new IOException("connection closed inside the head");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
