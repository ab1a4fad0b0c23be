package dev.switchboard.provider.http;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseParser;
import dev.switchboard.time.Scheduler;
import dev.switchboard.upstream.UpstreamCall;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamFailure;
import dev.switchboard.upstream.UpstreamHandler;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import io.opentelemetry.context.Scope;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exchange with an HTTP upstream: relays its body through the connector's translator to the
 * sink, pauses the upstream while the client is slow, and enforces the first-byte and idle
 * timeouts. Per attempt. Upstream callbacks arrive on one I/O thread at a time; the timer and
 * {@link #cancel()} may race with them, and {@link #terminated} decides who ends the attempt.
 *
 * <p>A stream ends for the client as soon as the translator has seen the reply's last event
 * ({@link StreamTranslator#isFinished()}), not when the provider ends the body: a provider (or a
 * proxy in between) that keeps the response open after {@code [DONE]} must not keep the client
 * waiting. What is left of the body is then read and dropped for up to {@link #DRAIN_MS}, so that
 * the connection goes back to the pool when the body does end, as it normally does in the same
 * read; after that the upstream call is cancelled, which closes the connection, since one whose
 * response was not read to its end cannot carry another request.
 */
final class HttpAttempt implements Attempt, UpstreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HttpAttempt.class);

    /** Cap on a non-streamed reply held for translation. */
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    /** Cap on an error body: enough for any provider's error JSON, and no more. */
    static final int MAX_ERROR_BYTES = 64 * 1024;
    /**
     * Most that a declared Content-Length reserves before the bytes arrive: a provider that
     * announces 64 MiB and sends little must not cost 64 MiB per request. Larger bodies grow.
     */
    static final int MAX_PRESIZED_BYTES = 1024 * 1024;

    /**
     * How long the rest of a finished stream's body may take to arrive before its connection is
     * closed instead of pooled. The body's end normally follows the last event in the same read,
     * or within milliseconds.
     */
    static final long DRAIN_MS = 200;

    private enum Mode { WAITING, STREAM, BODY, ERROR }

    private final HttpConnector connector;
    private final ProviderCall providerCall;
    private final ProviderConfig provider;
    private final ResponseSink sink;
    private final Scheduler scheduler;
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final Consumer<SseEvent> chunkOut;
    /**
     * The chunks translated from the current upstream read, handed to the sink together so that
     * a read of several events costs the client connection one write and flush. I/O thread only.
     */
    private final List<SseEvent> batch = new ArrayList<>();

    private volatile UpstreamCall call;
    private volatile Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;
    private volatile long lastActivityNanos;
    private volatile boolean streaming;
    private volatile boolean paused;

    // Touched by the I/O thread only.
    private Mode mode = Mode.WAITING;
    private UpstreamResponse upstreamResponse;
    private SseParser parser;
    private StreamTranslator translator;
    private byte[] body;
    private int bodyLength;

    HttpAttempt(HttpConnector connector, ProviderCall providerCall, ResponseSink sink, Scheduler scheduler) {
        this.connector = connector;
        this.providerCall = providerCall;
        this.provider = providerCall.provider();
        this.sink = sink;
        this.scheduler = scheduler;
        this.chunkOut = batch::add;
    }

    void start(UpstreamClient client, UpstreamRequest upstreamRequest) {
        start(handler -> client.send(upstreamRequest, handler));
    }

    /** Starts the attempt with {@code send}, which hands this handler to the client (or to a test's stand-in). */
    void start(Function<UpstreamHandler, UpstreamCall> send) {
        lastActivityNanos = scheduler.nanoTime();
        timer = scheduler.schedule(this::firstByteTimeout, provider.timeouts().firstByteMs(), TimeUnit.MILLISECONDS);
        try (Scope attemptSpan = providerCall.trace().makeCurrent()) {
            call = send.apply(this);
        }
        if (terminated.get()) {
            call.cancel();
        }
    }

    @Override
    public void onResponse(UpstreamResponse response) {
        try {
            respond(response);
        } catch (Throwable e) {
            crashed(e);
        }
    }

    private void respond(UpstreamResponse response) {
        upstreamResponse = response;
        if (!response.isSuccess()) {
            mode = Mode.ERROR;
        } else if (providerCall.stream()) {
            mode = Mode.STREAM;
            translator = connector.streamTranslator(providerCall);
            parser = new SseParser(this::onEvent, this::onOtherLine);
            if (!terminated.get()) {
                sink.streamStart();
            }
        } else {
            mode = Mode.BODY;
        }
    }

    @Override
    public boolean onData(ByteBuffer data) {
        try {
            return receive(data);
        } catch (Throwable e) {
            data.position(data.limit());
            crashed(e);
            return true;
        }
    }

    /**
     * Anything thrown while handling the reply, an {@link Error} included (a translator's
     * StackOverflowError, an OutOfMemoryError), ends the attempt with a 500 and closes its
     * connection, rather than unwinding into the I/O thread that serves every other upstream
     * connection or the timer (docs/hostile-clients.md#every-exchange-ends).
     */
    private void crashed(Throwable cause) {
        try {
            batch.clear();
            LOG.error("handling the reply of provider '{}' failed", provider.id(), cause);
            terminate(ErrorKind.INTERNAL.error("Switchboard failed to handle the provider's reply; the error is in its log."));
            // Also when the attempt had ended already (a finished stream draining): this connection is suspect.
            UpstreamCall current = call;
            if (current != null) {
                current.cancel();
            }
        } catch (Throwable again) {
            // Even that failed: at least the connection is closed, and the exchange's watchdog ends the rest.
            UpstreamCall current = call;
            if (current != null) {
                current.cancel();
            }
        }
    }

    private boolean receive(ByteBuffer data) {
        if (terminated.get()) {
            // Ended (a finished stream drains here, see DRAIN_MS) or cancelled: dropped unread.
            data.position(data.limit());
            return true;
        }
        switch (mode) {
            case STREAM -> {
                if (!streaming) {
                    streaming = true;
                    rearm(provider.timeouts().idleMs());
                }
                lastActivityNanos = scheduler.nanoTime();
                try {
                    parser.feed(data);
                } catch (GatewayException e) {
                    flushBatch();
                    terminate(e.error());
                } catch (RuntimeException e) {
                    flushBatch();
                    LOG.warn("unreadable stream from provider '{}': {}", provider.id(), e.toString());
                    terminate(UpstreamErrors.unreadable(provider, "a stream event"));
                }
                flushBatch();
                // A stream that finished in this read drains what is left at full speed.
                return terminated.get() || hasRoomOrPause();
            }
            case BODY -> append(data, MAX_BODY_BYTES, true);
            case ERROR -> append(data, MAX_ERROR_BYTES, false);
            default -> data.position(data.limit());
        }
        return true;
    }

    /** Hands the chunks of this read to the sink, unless the attempt has ended meanwhile. */
    private void flushBatch() {
        if (!batch.isEmpty()) {
            if (!terminated.get()) {
                sink.chunks(batch);
            }
            batch.clear();
        }
    }

    private void onEvent(SseEvent event) {
        if (!terminated.get()) {
            translator.onEvent(event, chunkOut);
            if (translator.isFinished()) {
                endStream();
                drainThenRelease();
            }
        }
    }

    /**
     * Ends the client's stream: what the translator has left (the usage chunk), then
     * {@code streamEnd}, unless the attempt ended meanwhile.
     */
    private void endStream() {
        Usage usage = translator.finish(chunkOut);
        flushBatch();
        if (terminated.compareAndSet(false, true)) {
            timer.cancel();
            sink.streamEnd(usage);
        }
    }

    /**
     * After a stream finished before its body ended: gives the body {@link #DRAIN_MS} to end, so
     * that its connection is pooled ({@link #onEnd}), else cancels the call, closing it.
     */
    private void drainThenRelease() {
        timer = scheduler.schedule(() -> {
            UpstreamCall current = call;
            if (current != null) {
                current.cancel();
            }
        }, DRAIN_MS, TimeUnit.MILLISECONDS);
    }

    /** A line that is not SSE; Gemini reports late errors so (see StreamTranslator#onOtherLine). */
    private void onOtherLine(byte[] line, int offset, int length) {
        if (!terminated.get()) {
            translator.onOtherLine(line, offset, length);
        }
    }

    private boolean hasRoomOrPause() {
        if (sink.hasRoom()) {
            return true;
        }
        paused = true;
        sink.whenRoom(() -> {
            paused = false;
            lastActivityNanos = scheduler.nanoTime();
            UpstreamCall current = call;
            if (current != null) {
                current.resume();
            }
        });
        return false;
    }

    private void append(ByteBuffer data, int cap, boolean failWhenFull) {
        int incoming = data.remaining();
        if (body == null) {
            long declared = declaredLength();
            if (failWhenFull && declared > cap) {
                // Refused before anything is held: the reply says it will not fit.
                terminate(UpstreamErrors.unreadable(provider, "a reply larger than " + cap + " bytes"));
                data.position(data.limit());
                return;
            }
            body = new byte[(int) Math.min(Math.max(incoming, Math.min(declared, MAX_PRESIZED_BYTES)), cap)];
        }
        if (bodyLength + incoming > cap) {
            if (failWhenFull) {
                terminate(UpstreamErrors.unreadable(provider, "a reply larger than " + cap + " bytes"));
            }
            // An oversized error body is cut: its beginning says all there is to say.
            int room = cap - bodyLength;
            data.get(body, bodyLength, Math.max(0, Math.min(room, incoming)));
            bodyLength += Math.max(0, Math.min(room, incoming));
            data.position(data.limit());
            return;
        }
        if (bodyLength + incoming > body.length) {
            body = Arrays.copyOf(body, Math.min(cap, Math.max(bodyLength + incoming, body.length * 2)));
        }
        data.get(body, bodyLength, incoming);
        bodyLength += incoming;
    }

    /**
     * The body's declared Content-Length, so that one array holds a body of up to
     * {@link #MAX_PRESIZED_BYTES}; 0 when there is none or it is not a non-negative number (then
     * the array grows by doubling from the first read's size).
     */
    private long declaredLength() {
        String declared = upstreamResponse == null ? null : upstreamResponse.header("Content-Length");
        if (declared == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(declared.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The room reserved for the reply so far, for tests of how much a declared length reserves. */
    int bodyCapacity() {
        return body == null ? 0 : body.length;
    }

    @Override
    public void onEnd() {
        try {
            end();
        } catch (Throwable e) {
            crashed(e);
        }
    }

    private void end() {
        if (terminated.get()) {
            // The body of a finished stream ended while draining: its connection goes back to the pool.
            timer.cancel();
            return;
        }
        try {
            switch (mode) {
                case STREAM -> {
                    // A bare JSON error need not end with a line end: the parser hands it over now.
                    parser.end();
                    if (terminated.get()) {
                        // Its last event came with the body's end: nothing is left to drain.
                        timer.cancel();
                        return;
                    }
                    if (!translator.isComplete()) {
                        terminate(UpstreamErrors.cutShort(provider));
                        return;
                    }
                    endStream();
                }
                case BODY -> {
                    CompletionBody completion = connector.completion(providerCall,
                            body == null ? new byte[0] : body, bodyLength);
                    if (terminated.compareAndSet(false, true)) {
                        timer.cancel();
                        sink.completion(completion.json(), completion.usage());
                    }
                }
                default -> {
                    GatewayError error = connector.upstreamError(provider, upstreamResponse,
                            body == null ? new byte[0] : body, bodyLength);
                    long now = System.currentTimeMillis();
                    long wait = RetryAfter.millis(upstreamResponse.header("Retry-After"),
                            upstreamResponse.header("retry-after-ms"), now);
                    // Some providers say it in the body instead (Gemini's RetryInfo).
                    terminate(Failure.of(error, wait != RetryAfter.UNKNOWN ? wait : RetryAfter.millis(error.retryAfter(), now)));
                }
            }
        } catch (GatewayException e) {
            flushBatch();
            terminate(e.error());
        } catch (RuntimeException e) {
            flushBatch();
            LOG.warn("unreadable reply from provider '{}': {}", provider.id(), e.toString());
            terminate(UpstreamErrors.unreadable(provider, "a reply"));
        }
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
        if (!terminated.get()) {
            LOG.info("provider '{}' failed: {} ({})", provider.id(), failure.kind(), failure.detail());
            terminate(UpstreamErrors.transport(provider, failure));
        }
    }

    private void firstByteTimeout() {
        try {
            if (!streaming) {
                terminate(UpstreamErrors.firstByteTimeout(provider, provider.timeouts().firstByteMs()));
            }
        } catch (Throwable e) {
            crashed(e);
        }
    }

    /**
     * Idle check, re-armed lazily: rather than rescheduling on every event (a queue operation per
     * chunk), the timer wakes once per period and looks at when the stream last moved.
     */
    private void idleCheck() {
        try {
            checkIdle();
        } catch (Throwable e) {
            crashed(e);
        }
    }

    private void checkIdle() {
        if (terminated.get()) {
            return;
        }
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(provider.timeouts().idleMs());
        long quietFor = scheduler.nanoTime() - lastActivityNanos;
        if (paused || quietFor < idleNanos) {
            // A paused stream is waiting for the client, not for the provider.
            long remaining = paused ? idleNanos : idleNanos - quietFor;
            timer = scheduler.schedule(this::idleCheck, remaining, TimeUnit.NANOSECONDS);
        } else {
            terminate(UpstreamErrors.idleTimeout(provider, provider.timeouts().idleMs()));
        }
    }

    private void rearm(long idleMs) {
        timer.cancel();
        timer = scheduler.schedule(this::idleCheck, idleMs, TimeUnit.MILLISECONDS);
    }

    private void terminate(GatewayError error) {
        terminate(Failure.of(error));
    }

    private void terminate(Failure failure) {
        if (terminated.compareAndSet(false, true)) {
            timer.cancel();
            UpstreamCall current = call;
            if (current != null) {
                current.cancel();
            }
            sink.fail(failure);
        }
    }

    @Override
    public void cancel() {
        if (terminated.compareAndSet(false, true)) {
            timer.cancel();
            UpstreamCall current = call;
            if (current != null) {
                current.cancel();
            }
        }
    }
}
