package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.ingress.messages.MessagesRequest;
import dev.switchboard.config.ProviderType;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import dev.switchboard.limits.Decision;
import dev.switchboard.limits.Concurrency;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.routing.Dispatch;
import dev.switchboard.routing.Route;
import dev.switchboard.routing.Target;
import dev.switchboard.sse.SseEncoder;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.telemetry.RequestRecord;
import dev.switchboard.telemetry.Usd;
import dev.switchboard.time.Scheduler;
import dev.switchboard.tracing.RequestTrace;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request of any front door ({@link Door}: chat completions, Messages, Responses,
 * embeddings), from its body to its last byte: reads the body, has the door parse it, routes it,
 * and writes what the provider sends, already in the door's wire format, to the client. Per
 * request; the one object holding the exchange's state, in parts: the {@link ResponseCommit}
 * decides what the response may still become, the {@link ClientResponseWriter} owns the output
 * stream and its back-pressure, the {@link ExchangeObserver} counts, {@link SseEncoder} frames the
 * door's events with their names, and the door's {@link ClientFormat} says how its streams end,
 * which events carry a token and what its errors look like. A client that leaves cancels the
 * upstream at once; every path ends the response exactly once. Anything thrown into it, an
 * {@link Error} included, on whichever thread (container, timer, the upstream client's I/O
 * threads), ends it with a 500 or an error event, logged once with the request id, and cancels
 * the upstream; the watchdog ends one that stops moving (docs/hostile-clients.md#every-exchange-ends).
 */
final class ChatExchange implements ResponseSink, AsyncListener, Traffic.LiveExchange {
    private static final Logger LOG = LoggerFactory.getLogger(ChatExchange.class);

    /** Says whether a {@code count_tokens} answer is the provider's count or Switchboard's estimate. */
    static final String TOKEN_COUNT_HEADER = "x-switchboard-token-count";
    /** What a non-streaming answer cost, in USD, exact (docs/spend.md, "Cost of a request"). */
    static final String COST_HEADER = "x-switchboard-cost-usd";
    private static final String CRASH_MESSAGE = "Switchboard failed to handle this request; the error is in its log.";

    private final Gateway gateway;
    private final Snapshot snapshot;
    private final Scheduler scheduler;
    private final Caller caller;
    private final List<HeaderField> rateLimitHeaders;
    /** Where the caller's tokens-per-minute budget stood at admission; null without one. */
    private final Decision.BudgetState tokenBudget;
    private final RequestRecord record;
    private final RequestTrace trace;
    private final ExchangeObserver observer;
    /** The request's usage, reported or estimated, counted once. */
    private final ExchangeUsage usage;
    private final ClientResponseWriter writer;
    private final ResponseCommit commit;
    private final StreamTimers timers;
    private final Supplier<ResponseHead> streamHead = this::streamHead;
    private final Door door;
    /** The client's {@code anthropic-beta} header, read while the request is at hand. */
    private final String beta;
    /** The request's place under the concurrency caps, given back when the exchange ends. */
    private final Concurrency.Permit permit;
    private final long startNanos;
    /** Whether the exchange moves, for the watchdog. */
    private final StallWatch stallWatch;
    private final AtomicBoolean crashLogged = new AtomicBoolean();
    /** The bookkeeping of the end (gauge, permit, traffic) runs once, from the container or the watchdog. */
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The door's format, then the request's once parsed (Chat's knows whether usage was asked for). */
    private volatile ClientFormat format;
    private volatile ClientRequest parsed;
    /** Events the client has been sent: a Responses failure event continues their numbering. */
    private volatile long eventsSent;

    private volatile Dispatch dispatch;
    /** Whether the whole body was read; an answer given before says Connection: close. */
    private volatile boolean bodyRead;

    private ChatExchange(Gateway gateway, Snapshot snapshot, Caller caller, Decision limit, RequestRecord record,
                         RequestTrace trace, AsyncContext asyncContext,
                         HttpServletResponse clientResponse, ServletOutputStream out, Door door, String beta,
                         Concurrency.Permit permit) {
        this.door = door;
        this.permit = permit;
        this.beta = beta;
        this.format = door.format();
        this.gateway = gateway;
        this.snapshot = snapshot;
        this.scheduler = gateway.scheduler();
        this.startNanos = scheduler.nanoTime();
        this.stallWatch = new StallWatch(StallWatch.limitMillis(snapshot.config(), StreamTimers.KEEP_ALIVE_MILLIS));
        this.caller = caller;
        this.rateLimitHeaders = RateLimitHeaders.of(limit);
        this.tokenBudget = PromptAdmission.tokenBudget(limit);
        this.record = record;
        this.trace = trace;
        this.observer = ExchangeTracing.around(new ExchangeAccounting(gateway.metrics(), gateway.rateLimiter(), caller,
                record, snapshot.prices()), trace);
        this.usage = new ExchangeUsage(observer);
        this.writer = new ClientResponseWriter(asyncContext, clientResponse, out, this::onClientGone,
                scheduler::nanoTime);
        this.commit = new ResponseCommit(writer);
        this.timers = new StreamTimers(scheduler, commit, writer, this);
    }

    /**
     * Goes asynchronous, unless the request already is ({@code asyncContext} not null), and starts
     * reading the body; returns at once.
     */
    static void start(HttpServletRequest clientRequest, HttpServletResponse clientResponse, AsyncContext started,
                      Gateway gateway, Snapshot snapshot, Caller caller, Decision limit, Door door,
                      Concurrency.Permit permit) throws IOException {
        AsyncContext asyncContext = started;
        if (asyncContext == null) {
            asyncContext = clientRequest.startAsync();
            // Our own timeouts end stuck exchanges; the container's would cut long streams short.
            asyncContext.setTimeout(0);
        }
        ServletOutputStream out = clientResponse.getOutputStream();
        ServletInputStream in = clientRequest.getInputStream();
        RequestRecord record = clientRequest.getAttribute(AccessLogFilter.RECORD_ATTRIBUTE) instanceof RequestRecord r
                ? r : new RequestRecord(System.nanoTime(), null, clientRequest.getRemoteAddr());
        RequestTrace trace = clientRequest.getAttribute(AccessLogFilter.TRACE_ATTRIBUTE) instanceof RequestTrace t
                ? t : RequestTrace.NONE;
        ChatExchange exchange = new ChatExchange(gateway, snapshot, caller, limit, record, trace,
                asyncContext, clientResponse, out, door, door.readsBeta() ? clientRequest.getHeader(MessagesRequest.BETA_HEADER) : null,
                permit);
        asyncContext.addListener(exchange);
        gateway.traffic().started(exchange);
        clientRequest.setAttribute(BodyDiscarder.OWNED_ATTRIBUTE, Boolean.TRUE);
        try {
            out.setWriteListener(exchange.writer);
            RequestBodyReader reader = new RequestBodyReader(in, clientRequest.getContentLengthLong(),
                    snapshot.config().maxRequestBytes(), snapshot.config().requests(), gateway.scheduler(), exchange);
            reader.arm();
            in.setReadListener(reader);
        } catch (RuntimeException | Error e) {
            exchange.crashed(e);
        }
    }

    /** A piece of the body arrived: the exchange is moving. */
    void progressed() {
        stallWatch.progressed();
    }

    /** The response, once written, waits for {@link #releaseEnd} before it ends: the body is still being discarded. */
    void holdEnd() {
        writer.holdEnd();
    }

    void releaseEnd() {
        writer.releaseEnd();
    }

    /** The whole body has arrived (container thread). */
    void onBody(byte[] body, int length) {
        bodyRead = true;
        try {
            ClientRequest clientRequest = door.parse(body, length, beta);
            parsed = clientRequest;
            format = clientRequest.format();
            usage.parsed(clientRequest);
            record.requestedModel(clientRequest.model());
            record.stream(clientRequest.stream());
            trace.parsed(clientRequest);
            Route route = snapshot.router().resolve(clientRequest.model(), caller::mayUse);
            door.checkModelType(clientRequest.model(), route);
            if (tokenBudget != null && !clientRequest.countTokens()) {
                GatewayError tooLarge = PromptAdmission.check(tokenBudget, usage.promptTokens());
                if (tooLarge != null) {
                    fail(tooLarge);
                    return;
                }
            }
            Dispatch started = gateway.dispatcher().dispatch(route, clientRequest, record.requestId(),
                    new GuardedSink(this, stallWatch), trace);
            // Ended while the body arrived (shutdown, container timeout, client gone)? Those paths
            // end the commit and then cancel whatever dispatch they see, so a dispatch published
            // after the end would run unseen.
            if (commit.ifLive(() -> dispatch = started)) {
                started.start();
            }
        } catch (GatewayException e) {
            fail(e.error());
        } catch (Throwable e) {
            crashed(e);
        }
    }

    /**
     * Something threw inside the exchange, on whichever thread: logs it once with the request id,
     * ends the response with a 500 (or an error event, if streaming), and cancels the upstream.
     * Should even the error not be written, the response ends without it.
     */
    void crashed(Throwable cause) {
        try {
            if (crashLogged.compareAndSet(false, true)) {
                LOG.error("{} request {} failed unexpectedly", door.endpoint(), record.requestId(), cause);
            }
        } finally {
            endWith(ErrorKind.INTERNAL.error(CRASH_MESSAGE), false);
        }
    }

    /**
     * Ends the exchange with {@code error}, cancels the upstream and the timers; with
     * {@code force}, or should that throw, also ends the response whatever is still queued.
     */
    void endWith(GatewayError error, boolean force) {
        try {
            fail(error);
            cancelDispatch();
        } catch (Throwable e) {
            force = true;
        }
        timers.cancel();
        if (force) {
            commit.abandon();
            writer.abort();
        }
    }

    /**
     * The client disconnected or its connection failed: stop everything at once, write nothing
     * more. The writer has ended the response already, or ends it right after this.
     */
    void onClientGone() {
        if (commit.abandon() == ResponseCommit.Step.ENDED) {
            cancelDispatch();
            timers.cancel();
        }
    }

    @Override
    public void streamStart() {
        after(commit.openStream(streamHead));
    }

    @Override
    public void chunk(SseEvent event) {
        ResponseCommit.Step step = commit.event(SseEncoder.encode(event.type(), event.data()), streamHead);
        usage.generated(event);
        if (step != ResponseCommit.Step.NONE) {
            eventsSent++;
            noticeToken(event);
        }
        after(step);
    }

    /** The chunks of one upstream read: one drain, so one write and flush, for all of them. */
    @Override
    public void chunks(List<SseEvent> events) {
        ResponseCommit.Step step = commit.events(events, event -> SseEncoder.encode(event.type(), event.data()),
                streamHead);
        for (SseEvent event : events) {
            usage.generated(event);
        }
        if (step != ResponseCommit.Step.NONE) {
            eventsSent += events.size();
            for (SseEvent event : events) {
                noticeToken(event);
            }
        }
        after(step);
    }

    /** Tells the observer about the first event that carries a token, as the door tells them apart. */
    private void noticeToken(SseEvent event) {
        if (!record.hasFirstToken() && format.carriesToken(event)) {
            observer.firstToken(dispatch.target(), System.nanoTime());
        }
    }

    @Override
    public void streamEnd(Usage usage) {
        recordUsage(usage);
        after(commit.endStream(format.streamTrailer(), streamHead));
    }

    @Override
    public void completion(byte[] json, Usage usage) {
        long picoUsd = recordUsage(usage);
        List<HeaderField> extra = new ArrayList<>(2);
        extra.add(new HeaderField(COST_HEADER, Usd.format(picoUsd)));
        ClientRequest request = parsed;
        Dispatch current = dispatch;
        if (request != null && request.countTokens() && current != null && current.target() != null) {
            extra.add(new HeaderField(TOKEN_COUNT_HEADER,
                    current.target().provider().type() == ProviderType.ANTHROPIC ? "provider" : "estimate"));
        }
        after(commit.complete(new ResponseHead(200, ErrorResponses.JSON, json.length, routingHeaders(extra)), json));
    }

    @Override
    public void fail(Failure failure) {
        fail(failure.error());
    }

    /**
     * Ends the exchange with {@code error} in the door's shape: its status and body if nothing was
     * sent, else the door's error event.
     */
    void fail(GatewayError error) {
        ClientFormat current = format;
        byte[] body = current.errorBody(error, record.requestId());
        SseEvent event = current.errorEvent(error, record.requestId(), eventsSent);
        after(commit.fail(() -> errorHead(error, current, body.length), body,
                SseEncoder.encode(event.type(), event.data())));
    }

    /** What follows a step: the observer hears of a new stream, and what the step queued is written. */
    private void after(ResponseCommit.Step step) {
        switch (step) {
            case NONE -> {
                return;
            }
            case OPENED -> {
                usage.streamOpened();
                observer.streamOpened();
                timers.opened(snapshot.config().requests().maxStreamMs(), startNanos);
            }
            case ENDED -> timers.cancel();
            case WROTE -> { }
        }
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

    /** Records what the provider reported and returns its cost in pico-dollars (0 when it reported nothing). */
    private long recordUsage(Usage reported) {
        Dispatch current = dispatch;
        return usage.reported(current == null ? null : current.target(), reported);
    }

    private ResponseHead streamHead() {
        return new ResponseHead(200, "text/event-stream", -1, routingHeaders(List.of(
                new HeaderField("Cache-Control", "no-cache"),
                // Tells nginx not to buffer the stream.
                new HeaderField("X-Accel-Buffering", "no"))));
    }

    private ResponseHead errorHead(GatewayError error, ClientFormat current, int length) {
        List<HeaderField> extra = new ArrayList<>(3);
        String[] headers = current.errorHeaders(error);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            extra.add(new HeaderField(headers[i], headers[i + 1]));
        }
        // An answer that is an error was not billed by any provider.
        extra.add(new HeaderField(COST_HEADER, Usd.format(0)));
        if (error.retryAfter() != null) {
            extra.add(new HeaderField("Retry-After", error.retryAfter()));
        }
        if (!bodyRead) {
            // Unread body: the connection cannot carry another request (RFC 9112 §9.6).
            extra.add(new HeaderField("Connection", "close"));
        }
        return new ResponseHead(current.errorStatus(error), ErrorResponses.JSON, length, routingHeaders(extra));
    }

    /**
     * Which model and provider answered, after how many attempts, and the token's rate-limit
     * state; on every response.
     */
    private List<HeaderField> routingHeaders(List<HeaderField> extra) {
        List<HeaderField> headers = new ArrayList<>(extra.size() + rateLimitHeaders.size() + 3);
        headers.addAll(extra);
        headers.addAll(rateLimitHeaders);
        Dispatch current = dispatch;
        Target target = current == null ? null : current.target();
        if (target != null) {
            headers.add(new HeaderField("x-switchboard-model", target.model().id()));
            headers.add(new HeaderField("x-switchboard-provider", target.provider().id()));
        }
        headers.add(new HeaderField("x-switchboard-attempts", Integer.toString(current == null ? 0 : current.attempts())));
        return headers;
    }

    void cancelDispatch() {
        Dispatch current = dispatch;
        if (current != null) {
            current.cancel();
        }
    }

    /** Last words for the access log and metrics, which the access-log filter writes right after. */
    @Override
    public void onComplete(AsyncEvent event) {
        writer.completed();
        close();
    }

    /** The end's bookkeeping, once: the permit, the traffic, the gauge and the record. */
    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timers.cancel();
        permit.release();
        gateway.traffic().finished(this);
        Dispatch current = dispatch;
        usage.ended(current == null ? null : current.target());
        observer.ended(current == null ? null : current.target(), current == null ? 0 : current.attempts());
    }

    /**
     * The watchdog's look, every {@code periodMillis} on the timer thread: an exchange that has
     * neither read, nor heard from its provider, nor written to its client (keep-alives aside)
     * for longer than its own deadlines allow is stuck: it is ended, its upstream cancelled, and
     * counted. Should the container still not report it complete as long again, its bookkeeping
     * is done here, so that the gauge and the caps do not keep it forever.
     */
    @Override
    public boolean watch(long periodMillis) {
        Dispatch current = dispatch;
        switch (stallWatch.look(periodMillis, writer.dataWrites() + (current == null ? 0 : current.attempts()))) {
            case STALLED -> {
                gateway.metrics().exchangeAbandoned();
                LOG.warn("{} request {} made no progress for {} ms and was ended", door.endpoint(),
                        record.requestId(), stallWatch.limitMillis());
                endWith(ErrorKind.INTERNAL.error("Switchboard ended this request: it made no progress for "
                        + stallWatch.limitMillis() / 1000 + " s."), true);
                return true;
            }
            case NEVER_CLOSED -> close();
            case MOVING -> { }
        }
        return false;
    }

    @Override
    public void endForShutdown() {
        endWith(ErrorKind.SHUTTING_DOWN.error("Switchboard is shutting down; the request was ended before it finished.")
                .withRetryAfter(DoorServlet.SHUTDOWN_RETRY_AFTER), false);
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
