package dev.switchboard.routing;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.Usage;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.ResponseSink;

/**
 * Carries one client request along its route: starts attempts on the route's targets and passes
 * their output to the client's sink. Per request.
 *
 * <p>Each attempt gets its own {@link AttemptSink}, so that output from an attempt that has been
 * abandoned (timed out, cancelled) can never reach the client.
 */
public final class Dispatch {
    private final Route route;
    private final ChatRequest clientRequest;
    private final ResponseSink client;

    private volatile Target target;
    private volatile int attempts;
    private volatile Attempt attempt = Attempt.NONE;
    private volatile AttemptSink current;
    private volatile boolean cancelled;

    public Dispatch(Route route, ChatRequest clientRequest, ResponseSink client) {
        this.route = route;
        this.clientRequest = clientRequest;
        this.client = client;
    }

    public void start() {
        startAttempt(route.targets().get(0));
    }

    private void startAttempt(Target next) {
        if (cancelled) {
            return;
        }
        target = next;
        attempts++;
        AttemptSink sink = new AttemptSink();
        current = sink;
        attempt = next.connector().start(clientRequest, next.model(), next.provider(), sink);
        if (cancelled) {
            attempt.cancel();
        }
    }

    /** The target of the latest attempt, for the response headers. */
    public Target target() {
        return target;
    }

    /** Attempts started so far. */
    public int attempts() {
        return attempts;
    }

    /** The client went away: stop the attempt in flight and start no other. */
    public void cancel() {
        cancelled = true;
        current = null;
        attempt.cancel();
    }

    /** Forwards one attempt's output while that attempt is the current one. Per attempt. */
    private final class AttemptSink implements ResponseSink {
        private boolean live() {
            return current == this && !cancelled;
        }

        @Override
        public void chunk(byte[] json) {
            if (live()) {
                client.chunk(json);
            }
        }

        @Override
        public void streamEnd(Usage usage) {
            if (live()) {
                client.streamEnd(usage);
            }
        }

        @Override
        public void completion(byte[] json, Usage usage) {
            if (live()) {
                client.completion(json, usage);
            }
        }

        @Override
        public void fail(GatewayError error) {
            if (live()) {
                client.fail(error);
            }
        }

        @Override
        public boolean hasRoom() {
            return client.hasRoom();
        }

        @Override
        public void whenRoom(Runnable resume) {
            client.whenRoom(resume);
        }
    }
}
