package dev.switchboard.web;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * The commit boundary of one client response: what the response may still become, and the bytes
 * each step puts into its {@link ResponseOutput}. Until something is sent (OPEN) an outcome may
 * still be a JSON answer or an error with its own status; once a stream has started (STREAMING) a
 * failure is one error event and the end, without the stream's trailer; once ended (DONE) nothing
 * more is written. Every path ends in exactly one transition to DONE. Per request; thread-safe
 * (every step holds this object's lock while it offers, so the output sees one step's bytes
 * together; draining is the caller's, after the step).
 */
final class ResponseCommit {
    /** Where the response is. */
    enum State { OPEN, STREAMING, DONE }

    /** What a step did. */
    enum Step {
        /** Nothing: the response had ended (or the step does not apply in this state). */
        NONE,
        /** Wrote, and the response stays where it was. */
        WROTE,
        /** Committed the response as a stream, and wrote. */
        OPENED,
        /** Wrote its last bytes and ended the response. */
        ENDED
    }

    private final ResponseOutput output;
    private State state = State.OPEN;

    ResponseCommit(ResponseOutput output) {
        this.output = output;
    }

    synchronized State state() {
        return state;
    }

    /** Commits the response as a stream with {@code head}, if nothing was sent yet. */
    synchronized Step openStream(Supplier<ResponseHead> head) {
        if (state != State.OPEN) {
            return Step.NONE;
        }
        open(head);
        return Step.OPENED;
    }

    /** One event of the stream, which opens first if nothing was sent yet. */
    synchronized Step event(byte[] frame, Supplier<ResponseHead> head) {
        if (state == State.DONE) {
            return Step.NONE;
        }
        Step step = state == State.OPEN ? open(head) : Step.WROTE;
        output.offer(frame);
        return step;
    }

    /** The events of one upstream read, in order, in one step; {@code framing} makes each one's bytes. */
    synchronized <E> Step events(List<E> events, Function<E, byte[]> framing, Supplier<ResponseHead> head) {
        if (state == State.DONE) {
            return Step.NONE;
        }
        Step step = state == State.OPEN ? open(head) : Step.WROTE;
        for (E event : events) {
            output.offer(framing.apply(event));
        }
        return step;
    }

    /**
     * Runs {@code action} while holding the commit's lock, unless the response has ended: what it
     * publishes is then seen by whichever step ends the response later.
     *
     * @return whether it ran
     */
    synchronized boolean ifLive(Runnable action) {
        if (state == State.DONE) {
            return false;
        }
        action.run();
        return true;
    }

    /**
     * The stream ended well: its trailer (Chat's {@code [DONE]}; null for none) and the end. A
     * stream that sent nothing still opens, so the client gets a valid, empty stream.
     */
    synchronized Step endStream(byte[] trailer, Supplier<ResponseHead> head) {
        if (state == State.DONE) {
            return Step.NONE;
        }
        if (state == State.OPEN) {
            open(head);
        }
        if (trailer != null) {
            output.offer(trailer);
        }
        end();
        return Step.ENDED;
    }

    /** A whole answer with its own status, if nothing was sent yet. */
    synchronized Step complete(ResponseHead head, byte[] body) {
        if (state != State.OPEN) {
            return Step.NONE;
        }
        output.offer(head);
        output.offer(body);
        end();
        return Step.ENDED;
    }

    /**
     * A failure: before anything was sent, {@code head} and {@code body}, the error with its own
     * status; during a stream, the one {@code event} that carries it, and the end.
     */
    synchronized Step fail(Supplier<ResponseHead> head, byte[] body, byte[] event) {
        switch (state) {
            case OPEN -> {
                output.offer(head.get());
                output.offer(body);
            }
            case STREAMING -> output.offer(event);
            case DONE -> {
                return Step.NONE;
            }
        }
        end();
        return Step.ENDED;
    }

    /** Bytes that keep a quiet stream alive; only while streaming. */
    synchronized Step keepAlive(byte[] comment) {
        if (state != State.STREAMING) {
            return Step.NONE;
        }
        output.offer(comment);
        return Step.WROTE;
    }

    /** The client is gone: nothing more is written, and nothing ends the response from here. */
    synchronized Step abandon() {
        if (state == State.DONE) {
            return Step.NONE;
        }
        state = State.DONE;
        return Step.ENDED;
    }

    private Step open(Supplier<ResponseHead> head) {
        output.offer(head.get());
        state = State.STREAMING;
        return Step.OPENED;
    }

    private void end() {
        output.offerEnd();
        state = State.DONE;
    }
}
