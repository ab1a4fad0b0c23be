package dev.switchboard.provider.http;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.sse.SseEvent;
import java.util.List;

/**
 * Cleans every error an attempt reports, whoever built it, before it can reach the client: each
 * string the provider sent ({@code message}, {@code type}, {@code code}, {@code param}) loses every
 * configured secret of the provider (its key, the values of its configured headers), and only then
 * is the message cut to {@link #MAX_MESSAGE} characters, so that a cut can never leave half a key
 * behind. An error from a non-2xx body is mapped by the connector, but one the provider sends
 * inside a 200 stream is mapped by a translator that never sees the configuration; both pass here.
 * Everything else passes through untouched. Per attempt.
 */
public final class RedactingSink implements ResponseSink {
    /** Stands in for a secret wherever upstream text quoted it. */
    static final String REDACTED = "<redacted>";
    /** The longest message passed on: enough for any provider's explanation, and no page of HTML. */
    static final int MAX_MESSAGE = 1000;

    private final ResponseSink sink;
    private final List<String> secrets;

    private RedactingSink(ResponseSink sink, List<String> secrets) {
        this.sink = sink;
        this.secrets = secrets;
    }

    /** The sink an attempt for {@code provider} reports to. */
    static ResponseSink around(ResponseSink sink, ProviderConfig provider) {
        return new RedactingSink(sink, provider.secrets());
    }

    /** {@code error} without the provider's secrets, its message cut to {@link #MAX_MESSAGE}. */
    public static GatewayError clean(GatewayError error, List<String> secrets) {
        String message = cut(redact(error.message(), secrets));
        String type = redact(error.type(), secrets);
        String code = redact(error.code(), secrets);
        String param = redact(error.param(), secrets);
        if (message == error.message() && type == error.type() && code == error.code() && param == error.param()) {
            return error;
        }
        return new GatewayError(error.kind(), error.status(), type, code, param, message, error.retryAfter());
    }

    private static String redact(String text, List<String> secrets) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            if (result.contains(secret)) {
                result = result.replace(secret, REDACTED);
            }
        }
        return result;
    }

    private static String cut(String message) {
        if (message == null || message.length() <= MAX_MESSAGE) {
            return message;
        }
        return message.substring(0, MAX_MESSAGE) + "…";
    }

    @Override
    public void streamStart() {
        sink.streamStart();
    }

    @Override
    public void chunk(SseEvent event) {
        sink.chunk(event);
    }

    @Override
    public void chunks(List<SseEvent> events) {
        sink.chunks(events);
    }

    @Override
    public void streamEnd(Usage usage) {
        sink.streamEnd(usage);
    }

    @Override
    public void completion(byte[] json, Usage usage) {
        sink.completion(json, usage);
    }

    @Override
    public void fail(Failure failure) {
        GatewayError cleaned = clean(failure.error(), secrets);
        sink.fail(cleaned == failure.error() ? failure : failure.withError(cleaned));
    }

    @Override
    public boolean hasRoom() {
        return sink.hasRoom();
    }

    @Override
    public void whenRoom(Runnable resume) {
        sink.whenRoom(resume);
    }
}
