package dev.switchboard.web;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.RequestLimits;
import dev.switchboard.time.Scheduler;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends an exchange that was answered before its body was read, without a container thread waiting
 * for that body. Left to itself, Tomcat reads and discards the rest of the body with a blocking
 * read on a container thread after a synchronous answer (up to {@code maxSwallowSize}, 2 MiB by
 * default), so sixty clients sending a byte every ten seconds hold sixty threads. Instead the
 * exchange goes asynchronous, reads and discards what arrives without blocking (so that a client
 * still sending can read its answer rather than a reset connection) up to a byte cap and a
 * deadline, and then completes; the answer said {@code Connection: close}, so the container closes
 * the connection instead of reading further (docs/hostile-clients.md). An unauthenticated client
 * gets a small cap and a short deadline; one with a valid token the request size limit and the
 * body pace of the {@code requests} section. Per request.
 */
final class BodyDiscarder implements ReadListener {
    /** Set by whatever reads the body itself, so that the filter leaves the exchange alone. */
    static final String OWNED_ATTRIBUTE = BodyDiscarder.class.getName() + ".owned";
    /** The most of an unauthenticated client's body that is read: enough for any small request. */
    static final long UNAUTHENTICATED_MAX_BYTES = 64 * 1024;
    /** The longest an unauthenticated client's body is waited for. */
    static final long UNAUTHENTICATED_MAX_MILLIS = 2_000;
    /** The longest any discarded body is waited for, however fast it arrives. */
    static final long MAX_MILLIS = 30_000;
    /**
     * Where discarded bytes land, shared by every discarder: nothing ever reads it, so
     * concurrent reads into it are harmless and no request allocates a buffer to throw away.
     */
    static final byte[] SCRAPS = new byte[8192];

    private final AsyncContext asyncContext;
    private final ServletInputStream in;
    private final long maxBytes;
    private final long endNanos;
    private final BodyPace pace;
    private final Scheduler scheduler;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;
    private long discarded;

    private BodyDiscarder(AsyncContext asyncContext, ServletInputStream in, long maxBytes, long maxMillis,
                          BodyPace pace, Scheduler scheduler) {
        this.asyncContext = asyncContext;
        this.in = in;
        this.maxBytes = maxBytes;
        this.scheduler = scheduler;
        this.pace = pace;
        this.endNanos = scheduler.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    }

    /** Whether the request announced a body. */
    static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * Ends an exchange whose answer has been written: completes it at once when there is no body
     * left to wait for, else after discarding the body as the class comment says.
     *
     * @param started the request's AsyncContext if it went asynchronous already, else null
     */
    static void endAfterAnswer(HttpServletRequest request, HttpServletResponse response, AsyncContext started,
                               Gateway gateway) {
        endAfterAnswer(request, response, started, gateway.snapshot().config(), gateway.scheduler());
    }

    static void endAfterAnswer(HttpServletRequest request, HttpServletResponse response, AsyncContext started,
                               GatewayConfig config, Scheduler scheduler) {
        AsyncContext asyncContext = started;
        if (asyncContext == null) {
            asyncContext = request.startAsync();
            asyncContext.setTimeout(0);
        }
        try {
            response.flushBuffer();
            // A client that waits for 100 Continue has sent nothing; asking for the body would send it.
            if (!hasBody(request) || "100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
                asyncContext.complete();
                return;
            }
            ServletInputStream in = request.getInputStream();
            if (in.isFinished()) {
                asyncContext.complete();
                return;
            }
            boolean authenticated = request.getAttribute(BearerAuthFilter.CALLER_ATTRIBUTE) != null;
            RequestLimits limits = config.requests();
            BodyDiscarder discarder = authenticated
                    ? new BodyDiscarder(asyncContext, in, config.maxRequestBytes(), MAX_MILLIS,
                            new BodyPace(limits, scheduler.nanoTime()), scheduler)
                    : new BodyDiscarder(asyncContext, in, UNAUTHENTICATED_MAX_BYTES, UNAUTHENTICATED_MAX_MILLIS, null,
                            scheduler);
            discarder.arm();
            in.setReadListener(discarder);
        } catch (IOException | RuntimeException e) {
            complete(asyncContext);
        }
    }

    private void arm() {
        long deadline = pace == null ? endNanos : Math.min(endNanos, pace.deadlineNanos());
        long delay = Math.max(0, deadline - scheduler.nanoTime());
        timer = scheduler.schedule(this::check, delay, TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (ended.get()) {
            return;
        }
        long now = scheduler.nanoTime();
        if (now - endNanos >= 0 || pace != null && pace.expired(now)) {
            end();
        } else {
            arm();
        }
    }

    @Override
    public void onDataAvailable() {
        try {
            while (!ended.get() && in.isReady()) {
                int read = in.read(SCRAPS);
                if (read < 0) {
                    break;
                }
                discarded += read;
                if (pace != null) {
                    pace.received(read, scheduler.nanoTime());
                }
                if (discarded > maxBytes) {
                    end();
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            end();
        }
    }

    @Override
    public void onAllDataRead() {
        end();
    }

    @Override
    public void onError(Throwable t) {
        end();
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            timer.cancel();
            complete(asyncContext);
        }
    }

    private static void complete(AsyncContext asyncContext) {
        try {
            asyncContext.complete();
        } catch (IllegalStateException e) {
            // The container ended the request already (the connection failed).
        }
    }
}
