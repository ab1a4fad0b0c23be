package dev.switchboard.provider.anthropic;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the recorded fixtures under {@code fixtures/anthropic/} and builds requests the way the web layer does. */
final class Fixtures {
    static final String DIRECTORY = "/fixtures/anthropic/";

    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    static JsonValue json(String name) {
        return Json.PROVIDER.createReader(new java.io.StringReader(text(name))).readValue();
    }

    /** A client request parsed and validated exactly as the servlet does it. */
    static ChatRequest request(JsonObject body) {
        byte[] bytes = Json.write(body);
        return ChatRequestParser.parse(bytes, bytes.length);
    }

    static ChatRequest request(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(bytes, bytes.length);
    }

    static ModelConfig model(String upstreamModel, Integer maxOutputTokens) {
        return new ModelConfig("claude", "anthropic", upstreamModel, maxOutputTokens);
    }

    static String pretty(JsonValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var g = Json.prettyGenerator(out)) {
            g.write(value);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
