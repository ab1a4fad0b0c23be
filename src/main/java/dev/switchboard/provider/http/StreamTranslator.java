package dev.switchboard.provider.http;

import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import java.util.function.Consumer;

/**
 * Turns one upstream event stream into the door's wire events, event by event, as they arrive:
 * relayed as they are when the door speaks the provider's protocol, translated otherwise. Pure (no I/O) and per stream; tested from recorded streams without a server.
 */
public interface StreamTranslator {
    /**
     * One upstream event in, zero or more chunks out.
     *
     * @throws dev.switchboard.error.GatewayException when the event reports an upstream error;
     *     the stream then ends with that error
     */
    void onEvent(SseEvent event, Consumer<SseEvent> out);

    /**
     * A line of the body that is not event-stream syntax ({@link dev.switchboard.sse.SseParser.OtherLineListener}),
     * including an unterminated last line once the body ends. The SSE spec says to ignore such
     * lines, and so does this default; a translator whose provider sends something there
     * overrides it (Gemini reports errors after its stream started as bare JSON lines,
     * docs/protocols/openai-to-gemini.md A4).
     *
     * @param line the raw bytes, valid only during the call
     * @throws dev.switchboard.error.GatewayException when the text reports an upstream error;
     *     the stream then ends with that error
     */
    default void onOtherLine(byte[] line, int offset, int length) {
    }

    /** Whether the upstream has signalled the end of its reply (so that the body may end now). */
    boolean isComplete();

    /**
     * Whether the event just translated ends the reply for good: OpenAI's {@code [DONE]},
     * Anthropic's {@code message_stop}, Gemini's last candidate finishing with the reply's usage.
     * Nothing the upstream may still send can change what the client gets, so the attempt calls
     * {@link #finish} and ends the client's stream at once instead of waiting for a body end that
     * a provider may be slow to send, or never send. Implies {@link #isComplete()}. By default
     * false: the stream then ends with the body.
     */
    default boolean isFinished() {
        return false;
    }

    /**
     * The upstream body ended after {@link #isComplete()} became true, or {@link #isFinished()}
     * did. Called once. Emits what remains (the
     * usage-only chunk when the client asked for it) and returns the usage, or null if the
     * upstream never reported it.
     */
    Usage finish(Consumer<SseEvent> out);
}
