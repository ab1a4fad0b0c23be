import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The harness's own load generator, for what wrk cannot measure: the time to the first byte of a
 * streamed reply, and thousands of concurrent long-lived streams. One thread, one selector,
 * requests prebuilt as bytes, one shared read buffer: cheap enough to share two cores with the
 * gateway and the mock. Not thread-safe; each run owns its connections.
 */
final class LoadClient {
    private static final int READ_BUFFER = 64 * 1024;

    private LoadClient() {
    }

    /** Closed-loop result: latencies in nanoseconds, one entry per successful request. */
    record StreamRun(long requests, long errors, long[] ttfbNanos, long[] totalNanos, double seconds, String firstError) {
        double rps() {
            return requests / seconds;
        }
    }

    /** One client connection and the response it is reading. */
    private static final class Conn implements HttpResponseReader.Body {
        SocketChannel channel;
        SelectionKey key;
        final HttpResponseReader reader = new HttpResponseReader();
        final byte[] tail = new byte[64];
        int tailLength;
        ByteBuffer unsent;
        long sentAt;
        long firstByteAt;
        long lastDataAt;
        long maxGap;
        long maxGapStart;
        long deliveries;
        /** The clock reading for the bytes being fed; set before each feed. */
        long now;

        @Override
        public void data(byte[] bytes, int offset, int length) {
            if (length == 0) {
                return;
            }
            if (firstByteAt == 0) {
                firstByteAt = now;
            }
            lastDataAt = now;
            deliveries++;
            // Keep the last bytes, to check how the body ended.
            if (length >= tail.length) {
                System.arraycopy(bytes, offset + length - tail.length, tail, 0, tail.length);
                tailLength = tail.length;
            } else {
                int keep = Math.min(tailLength, tail.length - length);
                System.arraycopy(tail, tailLength - keep, tail, 0, keep);
                System.arraycopy(bytes, offset, tail, keep, length);
                tailLength = keep + length;
            }
        }

        boolean bodyEndsWith(byte[] expected) {
            return tailLength >= expected.length
                    && Arrays.equals(tail, tailLength - expected.length, tailLength, expected, 0, expected.length);
        }

        void startResponse(long at) {
            reader.reset();
            sentAt = at;
            firstByteAt = 0;
            tailLength = 0;
        }

        /** Writes what the socket takes now; the rest waits for OP_WRITE. */
        void send(ByteBuffer request) throws IOException {
            channel.write(request);
            unsent = request.hasRemaining() ? request : null;
            key.interestOps(unsent == null ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }

        void writeMore() throws IOException {
            if (unsent != null) {
                send(unsent);
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already gone: nothing to release.
            }
        }
    }

    /**
     * {@code connections} keep-alive connections, each sending {@code request} again as soon as
     * the previous reply ended, for {@code seconds}. A reply counts as a success when its status
     * is 200 and its body ends with {@code expectedTail} (so a stream cut short is an error).
     * Replies still in flight at the end are abandoned, as wrk does.
     */
    static StreamRun closedLoop(InetSocketAddress target, byte[] request, byte[] expectedTail, int connections,
                                double seconds) throws IOException {
        Selector selector = Selector.open();
        List<Conn> conns = new ArrayList<>();
        LongList ttfb = new LongList();
        LongList total = new LongList();
        long errors = 0;
        String firstError = null;
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        for (int i = 0; i < connections; i++) {
            Conn conn = new Conn();
            connect(conn, selector, target);
            conn.startResponse(System.nanoTime());
            conn.send(ByteBuffer.wrap(request));
            conns.add(conn);
        }
        try {
            while (true) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    break;
                }
                selector.select(Math.max(1, (deadline - now) / 1_000_000));
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Conn conn = (Conn) key.attachment();
                    String failure = null;
                    try {
                        if (key.isValid() && key.isWritable()) {
                            conn.writeMore();
                        }
                        if (!key.isValid() || !key.isReadable()) {
                            continue;
                        }
                        buffer.clear();
                        int n = conn.channel.read(buffer);
                        conn.now = System.nanoTime();
                        if (n < 0) {
                            failure = "connection closed by the server mid-reply";
                        } else {
                            int offset = 0;
                            while (offset < n) {
                                offset += conn.reader.feed(buffer.array(), offset, n - offset, conn);
                                if (!conn.reader.isDone()) {
                                    continue;
                                }
                                if (conn.reader.status() == 200 && conn.bodyEndsWith(expectedTail)) {
                                    ttfb.add(conn.firstByteAt - conn.sentAt);
                                    total.add(conn.now - conn.sentAt);
                                } else {
                                    errors++;
                                    if (firstError == null) {
                                        firstError = conn.reader.status() == 200 ? "reply body did not end as expected"
                                                : "status " + conn.reader.status();
                                    }
                                }
                                if (conn.reader.closesConnection()) {
                                    // A stock Tomcat closes every 100th keep-alive connection (maxKeepAliveRequests).
                                    conn.key.cancel();
                                    conn.close();
                                    connect(conn, selector, target);
                                    offset = n;
                                }
                                conn.startResponse(System.nanoTime());
                                conn.send(ByteBuffer.wrap(request));
                            }
                        }
                    } catch (IOException | IllegalStateException e) {
                        failure = e.toString();
                    }
                    if (failure != null) {
                        // Count the lost reply, then carry on with a fresh connection.
                        errors++;
                        if (firstError == null) {
                            firstError = failure;
                        }
                        conn.key.cancel();
                        conn.close();
                        connect(conn, selector, target);
                        conn.startResponse(System.nanoTime());
                        conn.send(ByteBuffer.wrap(request));
                    }
                }
            }
        } finally {
            conns.forEach(Conn::close);
            selector.close();
        }
        return new StreamRun(total.size(), errors, ttfb.toArray(), total.toArray(), seconds, firstError);
    }

    private static void connect(Conn conn, Selector selector, InetSocketAddress target) throws IOException {
        conn.channel = SocketChannel.open(target);
        conn.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        conn.channel.configureBlocking(false);
        conn.key = conn.channel.register(selector, SelectionKey.OP_READ, conn);
    }

    /**
     * Thousands of concurrent long-lived streams, one connection each: {@link #ramp} opens them,
     * {@link #hold} keeps reading and watches for streams that stop receiving, {@link #closeAll}
     * drops every client at once. Not thread-safe: one thread drives all three.
     */
    static final class Trickle {
        private final InetSocketAddress target;
        private final byte[] request;
        private final int streams;
        private final Selector selector;
        private final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        private final List<Conn> conns = new ArrayList<>();
        private final List<Conn> live = new ArrayList<>();
        private boolean holding;
        int established;
        int failed;
        int ended;
        String firstError;
        double rampSeconds;
        /** During the hold: streams that went longer than the stall limit without data, the longest gap, the deliveries. */
        int stalled;
        long maxGapNanos;
        long holdDeliveries;
        int liveAtHoldStart;
        /** Streams live when the hold began that had failed or ended by its end. */
        int lostDuringHold;
        /** Stalled streams by the second of the hold in which their longest gap began: one event, or many? */
        final Map<Long, Integer> stallStarts = new TreeMap<>();

        Trickle(InetSocketAddress target, byte[] request, int streams) throws IOException {
            this.target = target;
            this.request = request;
            this.streams = streams;
            this.selector = Selector.open();
        }

        /**
         * Opens the streams, keeping at most {@code maxPending} connected but not yet streaming so
         * that the server's accept backlog never overflows; returns when every stream has its
         * first byte, has failed, or the time is up.
         */
        void ramp(int maxPending, double timeoutSeconds) throws IOException {
            long start = System.nanoTime();
            long deadline = start + (long) (timeoutSeconds * 1e9);
            while (established + failed < streams && System.nanoTime() < deadline) {
                while (conns.size() < streams && conns.size() - established - failed < maxPending) {
                    open();
                }
                poll(50);
            }
            failed += streams - established - failed;
            rampSeconds = (System.nanoTime() - start) / 1e9;
        }

        private void open() throws IOException {
            Conn conn = new Conn();
            conns.add(conn);
            conn.channel = SocketChannel.open();
            conn.channel.configureBlocking(false);
            conn.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected;
            try {
                connected = conn.channel.connect(target);
            } catch (IOException e) {
                fail(conn, e.toString());
                return;
            }
            conn.key = conn.channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, conn);
            if (connected) {
                sendRequest(conn);
            }
        }

        private void sendRequest(Conn conn) throws IOException {
            conn.startResponse(System.nanoTime());
            conn.send(ByteBuffer.wrap(request));
        }

        /**
         * Keeps every stream reading for {@code seconds}; a stream whose gap between two pieces of
         * data exceeds {@code stallSeconds} counts as stalled.
         */
        void hold(double seconds, double stallSeconds) throws IOException {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long stallNanos = (long) (stallSeconds * 1e9);
            holding = true;
            for (Conn conn : conns) {
                if (conn.firstByteAt != 0 && conn.channel.isOpen()) {
                    conn.maxGap = 0;
                    live.add(conn);
                }
            }
            liveAtHoldStart = live.size();
            long nextCheck = start;
            while (true) {
                long now = System.nanoTime();
                if (now >= nextCheck || now >= end) {
                    for (Conn conn : live) {
                        long gap = Math.min(now, end) - conn.lastDataAt;
                        if (conn.channel.isOpen() && gap > conn.maxGap) {
                            conn.maxGap = gap;
                            conn.maxGapStart = conn.lastDataAt;
                        }
                    }
                    nextCheck = now + 200_000_000L;
                }
                if (now >= end) {
                    break;
                }
                poll(Math.max(1, Math.min(50, (end - now) / 1_000_000)));
            }
            holding = false;
            for (Conn conn : live) {
                maxGapNanos = Math.max(maxGapNanos, conn.maxGap);
                if (conn.maxGap > stallNanos) {
                    stalled++;
                    stallStarts.merge(Math.floorDiv(conn.maxGapStart - start, 1_000_000_000L), 1, Integer::sum);
                }
                if (!conn.channel.isOpen()) {
                    lostDuringHold++;
                }
            }
        }

        /** Closes every connection at once; returns System.nanoTime() right after. */
        long closeAll() {
            conns.forEach(Conn::close);
            long closedAt = System.nanoTime();
            try {
                selector.close();
            } catch (IOException ignored) {
                // Nothing left to release.
            }
            return closedAt;
        }

        private void poll(long timeoutMillis) throws IOException {
            selector.select(timeoutMillis);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Conn conn = (Conn) key.attachment();
                try {
                    if (key.isValid() && key.isConnectable()) {
                        conn.channel.finishConnect();
                        sendRequest(conn);
                        continue;
                    }
                    if (key.isValid() && key.isWritable()) {
                        conn.writeMore();
                    }
                    if (key.isValid() && key.isReadable()) {
                        read(conn);
                    }
                } catch (IOException | IllegalStateException e) {
                    fail(conn, e.toString());
                }
            }
        }

        private void read(Conn conn) throws IOException {
            buffer.clear();
            int n = conn.channel.read(buffer);
            conn.now = System.nanoTime();
            if (n < 0) {
                fail(conn, "connection closed by the server");
                return;
            }
            boolean first = conn.firstByteAt == 0;
            long before = conn.deliveries;
            conn.reader.feed(buffer.array(), 0, n, conn);
            if (holding) {
                holdDeliveries += conn.deliveries - before;
            }
            if (conn.reader.status() != 0 && conn.reader.status() != 200) {
                fail(conn, "status " + conn.reader.status());
                return;
            }
            if (first && conn.firstByteAt != 0) {
                established++;
            }
            if (conn.reader.isDone()) {
                // The trickle is meant to outlast the hold; one that ended early is no live stream.
                ended++;
                conn.close();
            }
        }

        private void fail(Conn conn, String why) {
            if (firstError == null) {
                firstError = why;
            }
            if (conn.firstByteAt != 0) {
                established--;
            }
            failed++;
            conn.firstByteAt = 0;
            conn.close();
        }
    }

    /** A growable array of longs, to keep latencies without boxing. */
    static final class LongList {
        private long[] values = new long[1024];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
