package dev.switchboard.ingress;

import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.LlmEvent;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.mapping.ChatChunkDecoder;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Internal-model events decoded from the connectors' recorded chunk streams, for the door encoders' tests. */
public final class DecodedFixtures {
    /** A fixture's events and the usage its stream reported. */
    public record Reply(List<LlmEvent> events, Usage usage) {
    }

    private DecodedFixtures() {
    }

    public static Reply of(String fixture) {
        List<String> chunks;
        try (InputStream in = DecodedFixtures.class.getResourceAsStream("/fixtures/" + fixture + ".expected.jsonl")) {
            chunks = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChatChunkDecoder decoder = new ChatChunkDecoder();
        List<LlmEvent> events = new ArrayList<>();
        Usage usage = null;
        for (String chunk : chunks) {
            JsonObject json = Json.parseObject(chunk);
            JsonObject u = JsonFields.object(json, "usage");
            if (u != null) {
                usage = new Usage(u.getInt("prompt_tokens"), u.getInt("completion_tokens"),
                        u.getJsonObject("prompt_tokens_details").getInt("cached_tokens"),
                        u.getJsonObject("completion_tokens_details").getInt("reasoning_tokens"));
            }
            if (!json.getJsonArray("choices").isEmpty()) {
                decoder.onChunk(chunk.getBytes(StandardCharsets.UTF_8), events::add);
            }
        }
        decoder.end(events::add);
        return new Reply(events, usage);
    }
}
