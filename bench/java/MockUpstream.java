import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.PriorityQueue;

/**
 * The benchmark's upstream: an OpenAI- and Anthropic-shaped LLM server that answers at once with
 * canned replies, so that what the harness measures is the gateway, not the provider.
 *
 * <p>It shares two cores with the gateway and the load generator, so it is built to cost almost
 * nothing: one thread, one NIO selector, every reply serialised once at start, HTTP/1.1
 * keep-alive, {@code Content-Length} request bodies only (what HttpClient and wrk send).
 *
 * <ul>
 * <li>{@code POST /v1/chat/completions}: OpenAI; {@code "stream":true} gets {@code role} chunk,
 *     N content chunks, the {@code finish_reason} chunk, the usage chunk when the request asks
 *     for {@code include_usage}, and {@code data: [DONE]} (openai-chat.md §6).
 * <li>{@code POST /v1/messages}: Anthropic; streaming is message_start, content_block_start,
 *     content_block_delta × N, content_block_stop, message_delta, message_stop
 *     (anthropic-messages.md §6).
 * <li>{@code POST /v1/responses}: OpenAI Responses; streaming is response.created,
 *     response.in_progress, response.output_item.added, response.content_part.added,
 *     response.output_text.delta × N, response.output_text.done, response.content_part.done,
 *     response.output_item.done, response.completed, each with its sequence_number and no
 *     {@code [DONE]} (openai-responses.md §4).
 * <li>a streaming request whose body contains {@code "trickle"} (the model name the harness uses)
 *     gets one content event per second for {@code --trickle-seconds}, to hold thousands of live
 *     streams open.
 * <li>{@code POST /v1/traces}: an OTLP/HTTP collector that keeps nothing (200, empty body), for a
 *     gateway run with tracing on ({@code BENCH_CURRENT_JVM_OPTS}); not counted as a request.
 * <li>{@code GET /_stats}: {@code open_requests} (requests whose reply is not fully written yet
 *     and whose connection is still open), {@code connections} (open now), {@code accepted}
 *     (connections ever accepted) and {@code requests} (total served).
 * </ul>
 *
 * <p>Each stream event goes out in its own write, as a real provider flushes each event; the
 * response uses chunked transfer encoding like OpenAI's and Anthropic's.
 *
 * <p>Usage: {@code java MockUpstream [--port P] [--chunks N] [--trickle-seconds S]}
 */
public final class MockUpstream {
    private static final byte[] SPACE = {' '};
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_TRUE = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_TRUE_SPACED = "\"stream\": true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INCLUDE_USAGE = "\"include_usage\":true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRICKLE = "\"trickle\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRACES_ACCEPTED =
            ascii("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n");
    private static final byte[] NOT_FOUND = ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    private static final long SECOND_NANOS = 1_000_000_000L;

    /**
     * One API's canned replies, each already an HTTP/1.1 byte sequence; {@code usageTail} ends a
     * stream whose request asked for {@code stream_options.include_usage} (OpenAI then sends a
     * usage chunk with no choices before {@code [DONE]}; docs/protocols/openai-chat.md), else it is
     * {@code streamTail}.
     */
    record Replies(byte[] plain, byte[] streamHead, byte[][] deltas, byte[] trickleDelta, byte[] streamTail,
                   byte[] usageTail) {
        Replies(byte[] plain, byte[] streamHead, byte[][] deltas, byte[] trickleDelta, byte[] streamTail) {
            this(plain, streamHead, deltas, trickleDelta, streamTail, streamTail);
        }

        byte[] tail(boolean includeUsage) {
            return includeUsage ? usageTail : streamTail;
        }
    }

    /** One client connection; at most one request in progress (clients do not pipeline). */
    private static final class Conn {
        final SocketChannel channel;
        SelectionKey key;
        ByteBuffer in = ByteBuffer.allocate(4096);
        final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
        /** A request was read and its reply is not fully handed to the kernel yet. */
        boolean active;
        /** The last bytes of the active reply have been queued. */
        boolean replyQueued;
        boolean closed;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** A trickling stream: its next event is due at {@code due} (System.nanoTime). */
    private record Trickle(Conn conn, Replies replies, int sent, long due) {
    }

    private final Replies openai;
    private final Replies anthropic;
    private final Replies responses;
    private final int trickleSeconds;
    private final PriorityQueue<Trickle> trickles = new PriorityQueue<>((a, b) -> Long.compare(a.due, b.due));
    private int openRequests;
    private int connections;
    private long accepted;
    private long requests;

    MockUpstream(int chunks, int trickleSeconds) {
        this.openai = openAiReplies(chunks);
        this.anthropic = anthropicReplies(chunks);
        this.responses = responsesReplies(chunks);
        this.trickleSeconds = trickleSeconds;
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        int chunks = 8;
        int trickleSeconds = 60;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--chunks" -> chunks = Integer.parseInt(args[i + 1]);
                case "--trickle-seconds" -> trickleSeconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
        int bound = ((InetSocketAddress) server.getLocalAddress()).getPort();
        System.out.println("mock upstream on 127.0.0.1:" + bound + ", " + chunks + " chunks per stream, trickle "
                + trickleSeconds + " s");
        new MockUpstream(chunks, trickleSeconds).serve(server);
    }

    private void serve(ServerSocketChannel server) throws IOException {
        Selector selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        while (true) {
            Trickle next = trickles.peek();
            if (next == null) {
                selector.select();
            } else {
                long waitMillis = (next.due - System.nanoTime()) / 1_000_000;
                if (waitMillis > 0) {
                    selector.select(waitMillis);
                } else {
                    selector.selectNow();
                }
            }
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    accept(server, selector);
                    continue;
                }
                Conn conn = (Conn) key.attachment();
                if (key.isWritable()) {
                    flush(conn);
                }
                if (!conn.closed && key.isReadable()) {
                    read(conn);
                }
            }
            runDueTrickles();
        }
    }

    private void accept(ServerSocketChannel server, Selector selector) throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            channel.configureBlocking(false);
            // Small writes must leave at once: Nagle plus delayed ACK would add 40 ms stalls.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Conn conn = new Conn(channel);
            conn.key = channel.register(selector, SelectionKey.OP_READ, conn);
            connections++;
            accepted++;
        }
    }

    private void read(Conn conn) {
        if (!conn.in.hasRemaining()) {
            conn.in = ByteBuffer.allocate(conn.in.capacity() * 2).put(conn.in.flip());
        }
        int n;
        try {
            n = conn.channel.read(conn.in);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            close(conn);
            return;
        }
        handleRequests(conn);
    }

    /** Serves every complete request in the buffer, one at a time. */
    private void handleRequests(Conn conn) {
        while (!conn.closed && !conn.active) {
            byte[] buf = conn.in.array();
            int filled = conn.in.position();
            int headEnd = indexOf(buf, 0, filled, HEADER_END);
            if (headEnd < 0) {
                return;
            }
            int bodyStart = headEnd + HEADER_END.length;
            int bodyLength = contentLength(buf, bodyStart);
            if (filled < bodyStart + bodyLength) {
                return;
            }
            respond(conn, buf, bodyStart, bodyLength);
            // Drop the request just served; keep anything that followed it.
            int consumed = bodyStart + bodyLength;
            System.arraycopy(buf, consumed, buf, 0, filled - consumed);
            conn.in.position(filled - consumed);
            releaseIfWritten(conn);
        }
    }

    private void respond(Conn conn, byte[] buf, int bodyStart, int bodyLength) {
        int pathStart = indexOf(buf, 0, bodyStart, SPACE) + 1;
        int pathEnd = indexOf(buf, pathStart, bodyStart, SPACE);
        String path = new String(buf, pathStart, pathEnd - pathStart, StandardCharsets.US_ASCII);
        if (path.equals("/_stats")) {
            byte[] json = ascii("{\"open_requests\":" + openRequests + ",\"connections\":" + connections
                    + ",\"accepted\":" + accepted + ",\"requests\":" + requests + ",\"trickling\":" + trickles.size() + "}");
            send(conn, ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + json.length
                    + "\r\n\r\n"));
            send(conn, json);
            return;
        }
        if (path.equals("/v1/traces")) {
            send(conn, TRACES_ACCEPTED);
            return;
        }
        Replies replies = switch (path) {
            case "/v1/chat/completions" -> openai;
            case "/v1/messages" -> anthropic;
            case "/v1/responses" -> responses;
            default -> null;
        };
        if (replies == null) {
            send(conn, NOT_FOUND);
            return;
        }
        requests++;
        openRequests++;
        conn.active = true;
        conn.replyQueued = false;
        int bodyEnd = bodyStart + bodyLength;
        boolean stream = indexOf(buf, bodyStart, bodyEnd, STREAM_TRUE) >= 0
                || indexOf(buf, bodyStart, bodyEnd, STREAM_TRUE_SPACED) >= 0;
        if (!stream) {
            send(conn, replies.plain);
            conn.replyQueued = true;
        } else if (indexOf(buf, bodyStart, bodyEnd, TRICKLE) >= 0) {
            send(conn, replies.streamHead);
            trickles.add(new Trickle(conn, replies, 0, System.nanoTime() + SECOND_NANOS));
        } else {
            send(conn, replies.streamHead);
            for (byte[] delta : replies.deltas) {
                send(conn, delta);
            }
            send(conn, replies.tail(indexOf(buf, bodyStart, bodyEnd, INCLUDE_USAGE) >= 0));
            conn.replyQueued = true;
        }
    }

    private void runDueTrickles() {
        long now = System.nanoTime();
        while (!trickles.isEmpty() && trickles.peek().due <= now) {
            Trickle t = trickles.poll();
            if (t.conn.closed) {
                continue;
            }
            if (t.sent < trickleSeconds) {
                send(t.conn, t.replies.trickleDelta);
                trickles.add(new Trickle(t.conn, t.replies, t.sent + 1, t.due + SECOND_NANOS));
            } else {
                send(t.conn, t.replies.streamTail);
                t.conn.replyQueued = true;
                if (releaseIfWritten(t.conn)) {
                    handleRequests(t.conn);
                }
            }
        }
    }

    private void send(Conn conn, byte[] bytes) {
        if (conn.closed) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (conn.pending.isEmpty()) {
            try {
                conn.channel.write(buffer);
            } catch (IOException e) {
                close(conn);
                return;
            }
            if (!buffer.hasRemaining()) {
                return;
            }
            conn.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
        conn.pending.add(buffer);
    }

    private void flush(Conn conn) {
        try {
            while (!conn.pending.isEmpty()) {
                ByteBuffer head = conn.pending.peek();
                conn.channel.write(head);
                if (head.hasRemaining()) {
                    return;
                }
                conn.pending.poll();
            }
        } catch (IOException e) {
            close(conn);
            return;
        }
        conn.key.interestOps(SelectionKey.OP_READ);
        if (releaseIfWritten(conn)) {
            handleRequests(conn);
        }
    }

    /** A request is over once its whole reply is queued and the kernel has taken all of it. */
    private boolean releaseIfWritten(Conn conn) {
        if (conn.closed || !conn.active || !conn.replyQueued || !conn.pending.isEmpty()) {
            return false;
        }
        conn.active = false;
        openRequests--;
        return true;
    }

    private void close(Conn conn) {
        if (conn.closed) {
            return;
        }
        conn.closed = true;
        connections--;
        if (conn.active) {
            conn.active = false;
            openRequests--;
        }
        conn.key.cancel();
        try {
            conn.channel.close();
        } catch (IOException ignored) {
            // Closing a socket the peer already dropped: nothing left to release.
        }
    }

    private static int contentLength(byte[] buf, int headEnd) {
        int at = indexOfIgnoreCase(buf, headEnd, CONTENT_LENGTH);
        if (at < 0) {
            return 0;
        }
        int value = 0;
        for (int i = at + CONTENT_LENGTH.length; i < headEnd; i++) {
            byte b = buf[i];
            if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
            } else if (b != ' ') {
                break;
            }
        }
        return value;
    }

    private static int indexOf(byte[] hay, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Header names are case-insensitive; {@code lowerNeedle} is lower case. */
    private static int indexOfIgnoreCase(byte[] hay, int to, byte[] lowerNeedle) {
        outer:
        for (int i = 0; i <= to - lowerNeedle.length; i++) {
            for (int j = 0; j < lowerNeedle.length; j++) {
                int b = hay[i + j];
                if (b >= 'A' && b <= 'Z') {
                    b += 'a' - 'A';
                }
                if (b != lowerNeedle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---- canned replies ------------------------------------------------------------------------

    private static final String SSE_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
            + "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final long CREATED = 1_767_225_600L;

    static Replies openAiReplies(int chunks) {
        String plain = "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":" + CREATED
                + ",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Hello from the mock upstream.\",\"refusal\":null},\"logprobs\":null,"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,"
                + "\"total_tokens\":19}}";
        String prefix = "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
                + ",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":";
        String role = "data: " + prefix + "{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                + "\"finish_reason\":null}]}\n\n";
        byte[][] deltas = new byte[chunks][];
        for (int i = 0; i < chunks; i++) {
            deltas[i] = chunk(openAiDelta(prefix, "word" + i + " "));
        }
        String finish = "data: " + prefix + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n";
        String usage = "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
                + ",\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":"
                + chunks + ",\"total_tokens\":" + (12 + chunks) + "}}\n\n";
        return new Replies(json(plain), concat(ascii(SSE_HEAD), chunk(role)), deltas,
                chunk(openAiDelta(prefix, "tick ")), concat(chunk(finish), chunk("data: [DONE]\n\n"), lastChunk()),
                concat(chunk(finish), chunk(usage), chunk("data: [DONE]\n\n"), lastChunk()));
    }

    private static String openAiDelta(String prefix, String text) {
        return "data: " + prefix + "{\"content\":\"" + text + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    }

    static Replies anthropicReplies(int chunks) {
        String plain = "{\"id\":\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"Hello from the mock upstream.\"}],"
                + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":7}}";
        String start = event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_mock\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}")
                + event("content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        byte[][] deltas = new byte[chunks][];
        for (int i = 0; i < chunks; i++) {
            deltas[i] = chunk(anthropicDelta("word" + i + " "));
        }
        String end = event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + (chunks + 1) + "}}")
                + event("message_stop", "{\"type\":\"message_stop\"}");
        return new Replies(json(plain), concat(ascii(SSE_HEAD), chunk(start)), deltas,
                chunk(anthropicDelta("tick ")), concat(chunk(end), lastChunk()));
    }

    static Replies responsesReplies(int chunks) {
        StringBuilder full = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            full.append("word").append(i).append(' ');
        }
        String item = "{\"type\":\"message\",\"id\":\"msg_mock\",\"status\":\"completed\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":\"" + full + "\",\"annotations\":[]}]}";
        String usage = "{\"input_tokens\":12,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":" + chunks
                + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":" + (12 + chunks) + "}";
        String plain = responseObject("completed", "[{\"type\":\"message\",\"id\":\"msg_mock\",\"status\":\"completed\","
                + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hello from the mock upstream.\","
                + "\"annotations\":[]}]}]", "{\"input_tokens\":12,\"input_tokens_details\":{\"cached_tokens\":0},"
                + "\"output_tokens\":7,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":19}");
        String part = "\"item_id\":\"msg_mock\",\"output_index\":0,\"content_index\":0";
        String start = responsesEvent("response.created", 0, "\"response\":" + responseObject("in_progress", "[]", "null"))
                + responsesEvent("response.in_progress", 1, "\"response\":" + responseObject("in_progress", "[]", "null"))
                + responsesEvent("response.output_item.added", 2, "\"output_index\":0,\"item\":{\"type\":\"message\","
                        + "\"id\":\"msg_mock\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}")
                + responsesEvent("response.content_part.added", 3, part
                        + ",\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}");
        byte[][] deltas = new byte[chunks][];
        for (int i = 0; i < chunks; i++) {
            deltas[i] = chunk(responsesEvent("response.output_text.delta", 4 + i, part + ",\"delta\":\"word" + i
                    + " \",\"logprobs\":[]"));
        }
        int seq = 4 + chunks;
        String end = responsesEvent("response.output_text.done", seq, part + ",\"text\":\"" + full + "\",\"logprobs\":[]")
                + responsesEvent("response.content_part.done", seq + 1, part + ",\"part\":{\"type\":\"output_text\","
                        + "\"text\":\"" + full + "\",\"annotations\":[]}")
                + responsesEvent("response.output_item.done", seq + 2, "\"output_index\":0,\"item\":" + item)
                + responsesEvent("response.completed", seq + 3, "\"response\":" + responseObject("completed", "[" + item + "]", usage));
        // A trickle repeats one delta, sequence number and all: nothing checks them in a trickle.
        return new Replies(json(plain), concat(ascii(SSE_HEAD), chunk(start)), deltas,
                chunk(responsesEvent("response.output_text.delta", 4, part + ",\"delta\":\"tick \",\"logprobs\":[]")),
                concat(chunk(end), lastChunk()));
    }

    private static String responseObject(String status, String output, String usage) {
        return "{\"id\":\"resp_mock\",\"object\":\"response\",\"created_at\":" + CREATED + ",\"status\":\"" + status
                + "\",\"error\":null,\"incomplete_details\":null,\"instructions\":null,\"max_output_tokens\":null,"
                + "\"model\":\"gpt-4o-mini\",\"output\":" + output + ",\"parallel_tool_calls\":true,"
                + "\"previous_response_id\":null,\"store\":false,\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},"
                + "\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":" + usage
                + ",\"metadata\":{}}";
    }

    private static String responsesEvent(String type, int sequence, String fields) {
        return event(type, "{\"type\":\"" + type + "\",\"sequence_number\":" + sequence + "," + fields + "}");
    }

    private static String anthropicDelta(String text) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}");
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static byte[] json(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return concat(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\n\r\n"), bytes);
    }

    /** One HTTP/1.1 chunk of chunked transfer encoding. */
    private static byte[] chunk(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return concat(ascii(Integer.toHexString(bytes.length) + "\r\n"), bytes, ascii("\r\n"));
    }

    private static byte[] lastChunk() {
        return ascii("0\r\n\r\n");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
