package dev.switchboard.provider.gemini;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** Test helpers: JSON written with single quotes for readability, and parsed client requests. */
final class TestJson {
    private TestJson() {
    }

    /** Parses JSON written with ' for " (test data never needs a literal apostrophe). */
    static JsonObject json(String singleQuoted) {
        return Json.parseObject(singleQuoted.replace('\'', '"'));
    }

    /** A client request as the web layer would hand it over, validated by the real parser. */
    static ChatRequest request(String singleQuoted) {
        byte[] body = singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(body, body.length);
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
