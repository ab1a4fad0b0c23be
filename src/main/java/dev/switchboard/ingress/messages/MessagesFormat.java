package dev.switchboard.ingress.messages;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.Protocol;
import dev.switchboard.llm.StreamEncoder;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;

/**
 * The Messages door's wire format for answers (docs/protocols/anthropic-messages-ingress.md §4,
 * §5): Anthropic's {@code message} body, its named stream events, which end with
 * {@code message_stop} and need no trailer, and its error shape
 * {@code {"type":"error","error":{"type","message"},"request_id"}} with Anthropic's statuses, so
 * that Anthropic's SDKs raise the error class they would for the API itself. Shared and stateless.
 */
public final class MessagesFormat implements ClientFormat {
    public static final MessagesFormat INSTANCE = new MessagesFormat();

    /** Anthropic's status for an overloaded API (docs/protocols/anthropic-messages-ingress.md §5). */
    static final int OVERLOADED = 529;
    /** The header Anthropic's SDKs obey over their own retry rules (§5). */
    static final String SHOULD_RETRY = "x-should-retry";
    private static final String[] NO_RETRY = {SHOULD_RETRY, "false"};
    private static final byte[] CONTENT_BLOCK_DELTA = "content_block_delta".getBytes();
    /** The fields of a delta that hold generated text (§4.3). */
    private static final String[] GENERATED = {"text", "thinking", "partial_json"};

    private MessagesFormat() {
    }

    @Override
    public Protocol protocol() {
        return Protocol.MESSAGES;
    }

    @Override
    public StreamEncoder streamEncoder(String requestId) {
        return new MessagesStreamEncoder();
    }

    @Override
    public byte[] response(LlmResponse response, String requestId) {
        return MessagesResponse.write(response);
    }

    @Override
    public byte[] streamTrailer() {
        return null;
    }

    /** Text, thinking and tool arguments all arrive as {@code content_block_delta} (§4.3). */
    @Override
    public boolean carriesToken(SseEvent event) {
        return "content_block_delta".equals(event.type());
    }

    /** A {@code content_block_delta}'s text, thinking or tool input; a signature is not generated text. */
    @Override
    public void generatedText(byte[] data, StringBuilder out) {
        JsonObject delta;
        try {
            delta = JsonFields.object(Json.parseObject(data), "delta");
        } catch (RuntimeException e) {
            return;
        }
        for (String field : GENERATED) {
            String text = JsonFields.string(delta, field);
            if (text != null) {
                out.append(text);
            }
        }
    }

    /**
     * Anthropic's statuses: an overloaded provider (or gateway) is 529 {@code overloaded_error},
     * the status the SDKs and Claude Code treat as "try again later"; the rest keep the status of
     * the shared table (docs/errors.md).
     */
    @Override
    public int errorStatus(GatewayError error) {
        return switch (error.kind()) {
            case UPSTREAM_OVERLOADED, OVERLOADED -> OVERLOADED;
            default -> error.status();
        };
    }

    @Override
    public byte[] errorBody(GatewayError error, String requestId) {
        return write(error, errorStatus(error), requestId);
    }

    @Override
    public SseEvent errorEvent(GatewayError error, String requestId, long eventsSent) {
        return new SseEvent("error", write(error, errorStatus(error), requestId));
    }

    /**
     * A 429 the client must not retry by itself: a refusal that waiting a minute does not mend
     * (a spend budget), as opposed to the per-minute limits and a provider's rate limit, which
     * say when to try again in {@code retry-after}.
     */
    @Override
    public String[] errorHeaders(GatewayError error) {
        if (errorStatus(error) == 429 && !retryable429(error.kind())) {
            return NO_RETRY;
        }
        return NO_HEADERS;
    }

    private static boolean retryable429(ErrorKind kind) {
        return kind == ErrorKind.REQUESTS_PER_MINUTE || kind == ErrorKind.TOKENS_PER_MINUTE
                || kind == ErrorKind.TOO_MANY_CONCURRENT || kind == ErrorKind.UPSTREAM_RATE_LIMITED;
    }

    /** Anthropic's error type for a status (docs/protocols/anthropic-messages-ingress.md §5). */
    static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case OVERLOADED -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    private static byte[] write(GatewayError error, int status, String requestId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + error.message().length());
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject().write("type", "error");
            g.writeStartObject("error").write("type", type(status)).write("message", error.message()).writeEnd();
            if (requestId == null) {
                g.writeNull("request_id");
            } else {
                g.write("request_id", requestId);
            }
            g.writeEnd();
        }
        return out.toByteArray();
    }
}
