package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.mapping.ChatChunkDecoder;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Chat door's encoder and the Chat decoder are each other's inverse: the chunk streams the
 * connectors' fixture tests expect (Anthropic's and Gemini's, text, reasoning, parallel and
 * whole-argument tool calls, JSON mode, two choices, a blocked prompt), decoded into
 * internal-model events and encoded again, come out chunk for chunk the same. This is what lets a
 * translator be rewritten as a decoder of its provider's events without the Chat door's output
 * changing.
 */
class ChatRoundTripTest {
    static final long CREATED = 1767225600L;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"anthropic/text", "anthropic/parallel-tools", "anthropic/thinking-text",
            "anthropic/cache-usage", "anthropic/json-mode", "anthropic/server-tool", "gemini/text", "gemini/thoughts",
            "gemini/parallel_calls", "gemini/two_candidates", "gemini/prompt_blocked", "gemini/candidate_safety"})
    void expectedChunksSurviveDecodingAndEncoding(String fixture) throws IOException {
        List<String> expected = lines(fixture + ".expected.jsonl");
        boolean includeUsage = expected.get(0).contains("\"usage\":");
        ChatChunkDecoder decoder = new ChatChunkDecoder();
        ChatStreamEncoder encoder = new ChatStreamEncoder(CREATED, includeUsage);
        List<String> out = new ArrayList<>();
        Usage usage = null;
        for (String chunk : expected) {
            JsonObject json = Json.parseObject(chunk);
            if (JsonFields.object(json, "usage") != null) {
                JsonObject u = json.getJsonObject("usage");
                usage = new Usage(u.getInt("prompt_tokens"), u.getInt("completion_tokens"),
                        u.getJsonObject("prompt_tokens_details").getInt("cached_tokens"),
                        u.getJsonObject("completion_tokens_details").getInt("reasoning_tokens"));
                continue;
            }
            decoder.onChunk(chunk.getBytes(StandardCharsets.UTF_8),
                    event -> encoder.onEvent(event, e -> out.add(text(e))));
        }
        decoder.end(event -> encoder.onEvent(event, e -> out.add(text(e))));
        encoder.finish(usage, e -> out.add(text(e)));

        assertThat(out).containsExactlyElementsOf(expected);
    }

    private static String text(SseEvent event) {
        assertThat(event.type()).as("Chat's events are unnamed").isNull();
        return new String(event.data(), StandardCharsets.UTF_8);
    }

    private static List<String> lines(String name) throws IOException {
        try (InputStream in = ChatRoundTripTest.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
