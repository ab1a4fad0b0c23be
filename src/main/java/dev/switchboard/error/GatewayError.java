package dev.switchboard.error;

import dev.switchboard.json.Json;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;

/**
 * One error as the client will see it: status, OpenAI's {@code {"error":{message,type,param,code}}}
 * body, whether a retry may help, and an optional {@code Retry-After} value in seconds.
 * Immutable.
 *
 * @param retryAfter the {@code Retry-After} header to send, or null
 */
public record GatewayError(
        int status, String type, String code, String param, String message, boolean retryable, String retryAfter) {

    public GatewayError withRetryAfter(String value) {
        return new GatewayError(status, type, code, param, message, retryable, value);
    }

    public GatewayError withMessage(String value) {
        return new GatewayError(status, type, code, param, value, retryable, retryAfter);
    }

    /** The body: all four keys always present, nullable ones as JSON null (docs/protocols/openai-chat.md §7.1). */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + message.length());
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            writeErrorObject(g);
            g.writeEnd();
        }
        return out.toByteArray();
    }

    /** Writes the {@code "error":{...}} member into an open object. */
    public void writeErrorObject(JsonGenerator g) {
        g.writeStartObject("error");
        g.write("message", message);
        g.write("type", type);
        writeNullable(g, "param", param);
        writeNullable(g, "code", code);
        g.writeEnd();
    }

    private static void writeNullable(JsonGenerator g, String name, String value) {
        if (value == null) {
            g.writeNull(name);
        } else {
            g.write(name, value);
        }
    }
}
