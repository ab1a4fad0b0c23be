package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.json.Json;
import dev.switchboard.provider.mapping.LlmToChat;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Chat door's internal model loses nothing the Anthropic mapper uses: for the cases of
 * {@code fixtures/anthropic/request-cases.json} that map to a body, the request taken through the
 * internal model and written back as Chat ({@code ChatToLlm}, then {@code LlmToChat}) maps to the
 * same Anthropic body as the request itself. The cases that use what the internal model leaves to
 * the Chat mapper alone (listed in {@link #CHAT_ONLY}) are named, so that the list can only shrink.
 */
class InternalModelRoundTripTest {
    /**
     * What the internal model does not keep: an explicit {@code tool_choice: auto} (the default,
     * the same to Claude), and {@code top_k}, which is no Chat field but a few clients send.
     */
    static final List<String> CHAT_ONLY = List.of("tool_choice auto",
            "temperature above 1 is clamped to 1, and temperature wins over top_p");

    @Test
    void casesMappedThroughTheInternalModelGiveTheSameAnthropicBody() {
        List<String> differ = new ArrayList<>();
        int same = 0;
        for (JsonValue value : Fixtures.json("request-cases.json").asJsonArray()) {
            JsonObject testCase = value.asJsonObject();
            if (!testCase.containsKey("expect")) {
                continue;
            }
            ModelConfig model = Fixtures.model(testCase.getString("upstreamModel", RequestMapperTest.DEFAULT_UPSTREAM_MODEL),
                    testCase.get("maxOutputTokens") instanceof JsonNumber n ? n.intValue() : null);
            ChatRequest request = Fixtures.request(testCase.getJsonObject("request"));
            JsonObject direct = RequestMapper.map(request.json(), model);
            JsonObject throughModel;
            try {
                byte[] chat = Json.write(LlmToChat.map(request.llmRequest(), true));
                throughModel = RequestMapper.map(ChatRequestParser.parse(chat, chat.length).json(), model);
            } catch (RuntimeException e) {
                differ.add(testCase.getString("name") + " (" + e.getMessage() + ")");
                continue;
            }
            if (direct.equals(throughModel)) {
                same++;
            } else {
                differ.add(testCase.getString("name"));
            }
        }
        assertThat(same).isGreaterThan(0);
        assertThat(differ).as("%d cases map the same through the internal model", same)
                .containsExactlyInAnyOrderElementsOf(CHAT_ONLY);
    }
}
