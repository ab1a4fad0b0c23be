package dev.switchboard.upstream;

/** Handle on an upstream exchange in flight. Both methods may be called from any thread. */
public interface UpstreamCall {
    /** Starts reading again after {@link UpstreamHandler#onData} returned false. */
    void resume();

    /** Aborts the exchange and closes (HTTP/1.1) or resets (HTTP/2) its stream; idempotent. */
    void cancel();
}
