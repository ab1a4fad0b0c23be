package dev.switchboard.provider;

import dev.switchboard.chat.Usage;
import dev.switchboard.sse.SseEvent;
import java.util.function.Consumer;

/**
 * Turns one upstream event stream into OpenAI {@code chat.completion.chunk}s, event by event, as
 * they arrive. Pure (no I/O) and per stream; tested from recorded streams without a server.
 */
public interface StreamTranslator {
    /**
     * One upstream event in, zero or more chunks out.
     *
     * @throws dev.switchboard.error.GatewayException when the event reports an upstream error;
     *     the stream then ends with that error
     */
    void onEvent(SseEvent event, Consumer<byte[]> out);

    /** Whether the upstream has signalled the end of its reply (so that the body may end now). */
    boolean isComplete();

    /**
     * The upstream body ended after {@link #isComplete()} became true. Emits what remains (the
     * usage-only chunk when the client asked for it) and returns the usage, or null if the
     * upstream never reported it.
     */
    Usage finish(Consumer<byte[]> out);
}
