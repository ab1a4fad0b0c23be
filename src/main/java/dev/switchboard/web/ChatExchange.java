package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.chat.ChunkContent;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.routing.Dispatch;
import dev.switchboard.routing.Route;
import dev.switchboard.routing.Target;
import dev.switchboard.telemetry.RequestRecord;
import dev.switchboard.time.Scheduler;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code POST /v1/chat/completions}, from its body to its last byte. Per request; the one
 * object holding the exchange's state.
 *
 * <p>It keeps the commit boundary: until the first byte is queued, an outcome may still become a
 * JSON error with its own status; once a stream has started, a failure is one SSE error event and
 * the end of the response, without {@code [DONE]}. Every path ends in exactly one terminal call,
 * which completes the AsyncContext, and a client that leaves cancels the upstream at once.
 */
final class ChatExchange implements ResponseSink, AsyncListener, Traffic.LiveExchange {
    private static final Logger LOG = LoggerFactory.getLogger(ChatExchange.class);

    /** Silence after which an SSE comment keeps proxies and clients from timing the stream out. */
    static final long KEEP_ALIVE_MILLIS = 15_000;

    private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private enum State { OPEN, STREAMING, DONE }

    private final Gateway gateway;
    private final Snapshot snapshot;
    private final Scheduler scheduler;
    private final Caller caller;
    private final List<String> rateLimitHeaders;
    private final RequestRecord record;
    private final ClientResponseWriter writer;

    private State state = State.OPEN;
    private volatile Dispatch dispatch;
    private volatile Scheduler.Cancellable keepAlive = Scheduler.Cancellable.NONE;
    private volatile boolean streamCounted;
    /** Whether the whole body was read; an answer given before says Connection: close. */
    private volatile boolean bodyRead;

    private ChatExchange(Gateway gateway, Snapshot snapshot, Caller caller, List<String> rateLimitHeaders,
                         RequestRecord record, AsyncContext asyncContext, HttpServletResponse clientResponse,
                         ServletOutputStream out) {
        this.gateway = gateway;
        this.snapshot = snapshot;
        this.scheduler = gateway.scheduler();
        this.caller = caller;
        this.rateLimitHeaders = rateLimitHeaders;
        this.record = record;
        this.writer = new ClientResponseWriter(asyncContext, clientResponse, out, this::onClientGone);
    }

    /** Goes asynchronous and starts reading the body; returns at once. */
    static void start(HttpServletRequest clientRequest, HttpServletResponse clientResponse, Gateway gateway,
                      Snapshot snapshot, Caller caller, List<String> rateLimitHeaders) throws IOException {
        AsyncContext asyncContext = clientRequest.startAsync();
        // Our own timeouts end stuck exchanges; the container's would cut long streams short.
        asyncContext.setTimeout(0);
        ServletOutputStream out = clientResponse.getOutputStream();
        ServletInputStream in = clientRequest.getInputStream();
        RequestRecord record = clientRequest.getAttribute(AccessLogFilter.RECORD_ATTRIBUTE) instanceof RequestRecord r
                ? r : new RequestRecord(System.nanoTime(), null, clientRequest.getRemoteAddr());
        ChatExchange exchange = new ChatExchange(gateway, snapshot, caller, rateLimitHeaders, record, asyncContext,
                clientResponse, out);
        asyncContext.addListener(exchange);
        gateway.traffic().started(exchange);
        out.setWriteListener(exchange.writer);
        in.setReadListener(new RequestBodyReader(in, clientRequest.getContentLengthLong(),
                snapshot.config().maxRequestBytes(), exchange));
    }

    /** The whole body has arrived (container thread). */
    void onBody(byte[] body, int length) {
        bodyRead = true;
        try {
            ChatRequest chatRequest = ChatRequestParser.parse(body, length);
            record.requestedModel(chatRequest.model());
            record.stream(chatRequest.stream());
            Route route = snapshot.router().resolve(chatRequest.model(), caller::mayUse);
            Dispatch started = new Dispatch(route, chatRequest, this, gateway.cooldowns(), scheduler, gateway.random(),
                    gateway.attemptObserver());
            synchronized (this) {
                // Ended while the body arrived (shutdown, container timeout, client gone): those
                // paths set DONE under this lock and then cancel whatever dispatch they see, so a
                // dispatch published after DONE would run unseen.
                if (state == State.DONE) {
                    return;
                }
                dispatch = started;
            }
            started.start();
        } catch (GatewayException e) {
            fail(e.error());
        } catch (RuntimeException e) {
            LOG.error("chat completion failed unexpectedly", e);
            fail(ErrorKind.INTERNAL.error("Switchboard failed to handle this request; the error is in its log."));
        }
    }

    /**
     * The client disconnected or its connection failed: stop everything at once, write nothing
     * more. The writer has ended the response already, or ends it right after this.
     */
    void onClientGone() {
        synchronized (this) {
            if (state == State.DONE) {
                return;
            }
            state = State.DONE;
        }
        Dispatch current = dispatch;
        if (current != null) {
            current.cancel();
        }
        keepAlive.cancel();
    }

    @Override
    public void streamStart() {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            openStream();
        }
        writer.drain();
    }

    @Override
    public void chunk(byte[] json) {
        if (offerChunk(json)) {
            writer.drain();
        }
    }

    /** The chunks of one upstream read: one drain, so one write and flush, for all of them. */
    @Override
    public void chunks(List<byte[]> jsons) {
        for (byte[] json : jsons) {
            if (!offerChunk(json)) {
                break;
            }
        }
        writer.drain();
    }

    /** Queues one chunk as an SSE event; false once the response has ended. */
    private boolean offerChunk(byte[] json) {
        synchronized (this) {
            if (state == State.DONE) {
                return false;
            }
            if (state == State.OPEN) {
                openStream();
            }
            writer.offer(frame(json));
        }
        if (!record.hasFirstToken() && ChunkContent.carriesToken(json) && record.firstToken(System.nanoTime())) {
            Target target = dispatch.target();
            gateway.metrics().firstToken(target.model().id(), target.provider().id(),
                    record.firstTokenAfterNanos() / 1e9);
        }
        return true;
    }

    /** Commits the response as an event stream; the caller holds the lock. */
    private void openStream() {
        state = State.STREAMING;
        writer.offer(streamHead());
        scheduleKeepAlive(KEEP_ALIVE_MILLIS);
        streamCounted = true;
        gateway.metrics().streamOpened();
    }

    @Override
    public void streamEnd(Usage usage) {
        recordUsage(usage);
        synchronized (this) {
            if (state == State.DONE) {
                return;
            }
            if (state == State.OPEN) {
                writer.offer(streamHead());
            }
            state = State.DONE;
            writer.offer(DONE);
            writer.offerEnd();
        }
        keepAlive.cancel();
        writer.drain();
    }

    @Override
    public void completion(byte[] json, Usage usage) {
        recordUsage(usage);
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.DONE;
            writer.offer(new ClientResponseWriter.Head(200, ErrorResponses.JSON, json.length, routingHeaders(List.of())));
            writer.offer(json);
            writer.offerEnd();
        }
        writer.drain();
    }

    @Override
    public void fail(Failure failure) {
        fail(failure.error());
    }

    /** Ends the exchange with {@code error}: its status and body if nothing was sent, else an error event. */
    void fail(GatewayError error) {
        synchronized (this) {
            if (state == State.DONE) {
                return;
            }
            byte[] body = error.toJson();
            if (state == State.OPEN) {
                List<String> extra = new ArrayList<>(4);
                if (error.retryAfter() != null) {
                    extra.add("Retry-After");
                    extra.add(error.retryAfter());
                }
                if (!bodyRead) {
                    // Unread body: the connection cannot carry another request (RFC 9112 §9.6).
                    extra.add("Connection");
                    extra.add("close");
                }
                writer.offer(new ClientResponseWriter.Head(error.status(), ErrorResponses.JSON, body.length,
                        routingHeaders(extra)));
                writer.offer(body);
            } else {
                writer.offer(frame(body));
            }
            state = State.DONE;
            writer.offerEnd();
        }
        keepAlive.cancel();
        writer.drain();
    }

    @Override
    public boolean hasRoom() {
        return writer.hasRoom();
    }

    @Override
    public void whenRoom(Runnable resume) {
        writer.whenRoom(resume);
    }

    /** Counts the tokens against the caller's per-minute budget, when the provider reported them. */
    private void recordUsage(Usage usage) {
        if (usage != null) {
            record.usage(usage);
            gateway.rateLimiter().recordTokens(caller.name(), caller.limits(), usage.totalTokens());
        }
    }

    private ClientResponseWriter.Head streamHead() {
        return new ClientResponseWriter.Head(200, "text/event-stream", -1, routingHeaders(List.of(
                "Cache-Control", "no-cache",
                // Tells nginx not to buffer the stream.
                "X-Accel-Buffering", "no")));
    }

    /**
     * Which model and provider answered, after how many attempts, and the token's rate-limit
     * state; on every response.
     */
    private List<String> routingHeaders(List<String> extra) {
        List<String> headers = new ArrayList<>(extra.size() + rateLimitHeaders.size() + 6);
        headers.addAll(extra);
        headers.addAll(rateLimitHeaders);
        Dispatch current = dispatch;
        Target target = current == null ? null : current.target();
        if (target != null) {
            headers.add("x-switchboard-model");
            headers.add(target.model().id());
            headers.add("x-switchboard-provider");
            headers.add(target.provider().id());
        }
        headers.add("x-switchboard-attempts");
        headers.add(Integer.toString(current == null ? 0 : current.attempts()));
        return headers;
    }

    /**
     * One SSE event carrying {@code json}. A line feed in it (an upstream that spread its JSON
     * over several {@code data:} lines, which the parser joined with line feeds) starts another
     * {@code data:} line, so the client joins the same text back (WHATWG HTML, 9.2.6).
     */
    static byte[] frame(byte[] json) {
        int lineFeeds = 0;
        for (byte b : json) {
            if (b == '\n') {
                lineFeeds++;
            }
        }
        byte[] frame = new byte[DATA_PREFIX.length * (1 + lineFeeds) + json.length + EVENT_END.length];
        System.arraycopy(DATA_PREFIX, 0, frame, 0, DATA_PREFIX.length);
        int at = DATA_PREFIX.length;
        if (lineFeeds == 0) {
            System.arraycopy(json, 0, frame, at, json.length);
            at += json.length;
        } else {
            for (byte b : json) {
                frame[at++] = b;
                if (b == '\n') {
                    System.arraycopy(DATA_PREFIX, 0, frame, at, DATA_PREFIX.length);
                    at += DATA_PREFIX.length;
                }
            }
        }
        System.arraycopy(EVENT_END, 0, frame, at, EVENT_END.length);
        return frame;
    }

    /** Re-armed lazily: wakes once per period and looks at when the stream last wrote. */
    private void scheduleKeepAlive(long delayMillis) {
        keepAlive = scheduler.schedule(this::keepAliveCheck, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void keepAliveCheck() {
        long quietMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - writer.lastWriteNanos());
        synchronized (this) {
            if (state != State.STREAMING) {
                return;
            }
            if (quietMillis >= KEEP_ALIVE_MILLIS) {
                writer.offer(KEEP_ALIVE);
                scheduleKeepAlive(KEEP_ALIVE_MILLIS);
            } else {
                scheduleKeepAlive(KEEP_ALIVE_MILLIS - quietMillis);
            }
        }
        writer.drain();
    }

    /** Last words for the access log and metrics, which the access-log filter writes right after. */
    @Override
    public void onComplete(AsyncEvent event) {
        writer.completed();
        keepAlive.cancel();
        gateway.traffic().finished(this);
        if (streamCounted) {
            gateway.metrics().streamClosed();
        }
        Dispatch current = dispatch;
        Target target = current == null ? null : current.target();
        if (target != null) {
            record.target(target.model().id(), target.provider().id(), current.attempts());
        }
    }

    @Override
    public void endForShutdown() {
        fail(ErrorKind.SHUTTING_DOWN.error("Switchboard is shutting down; the request was ended before it finished.")
                .withRetryAfter(ChatCompletionsServlet.SHUTDOWN_RETRY_AFTER));
        Dispatch current = dispatch;
        if (current != null) {
            current.cancel();
        }
    }

    /**
     * The container reports the connection failed (on a container thread): stop, and end the
     * response before returning, since the container recycles it next.
     */
    void onConnectionError() {
        onClientGone();
        writer.abort();
    }

    /**
     * Our own timeout is off (see {@link #start}), so the container times a request out only when
     * the application stops: Tomcat does so to the requests still in flight once the context's
     * {@code unloadDelay} has passed. They end as any request ended by a shutdown does, and the
     * response has ended when this returns, since the container recycles it next.
     */
    @Override
    public void onTimeout(AsyncEvent event) {
        endForShutdown();
        writer.finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        onConnectionError();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
