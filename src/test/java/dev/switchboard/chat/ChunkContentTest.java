package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkContentTest {
    private static boolean carries(String json) {
        return ChunkContent.carriesToken(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Thinking\"},\"finish_reason\":null}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\"}]}}]}",
        "{\"choices\": [{\"index\": 0, \"delta\": {\"content\": \"spaced, as some servers write it\"}}]}",
        "{\"choices\":[{\"delta\":{\"tool_calls\" : [ {\"index\":0} ]}}]}"
    })
    void textReasoningAndToolCallsAreTokens(String chunk) {
        assertThat(carries(chunk)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}",
        "{\"choices\":[{\"delta\":{\"tool_calls\":[]}}]}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5}}",
        "{\"choices\":[{\"delta\":{\"content\":\"\"}}],\"note\":\"the word \\\"content\\\" inside text\"}"
    })
    void roleFinishUsageAndEmptyValuesAreNot(String chunk) {
        assertThat(carries(chunk)).isFalse();
    }

    @Test
    void theFirstTokenOfAThinkingStreamIsItsFirstThought() throws IOException {
        List<String> chunks = Files.readAllLines(Path.of("src/test/resources/fixtures/gemini/thoughts.expected.jsonl"));

        assertThat(carries(chunks.get(0))).as("the role chunk").isFalse();
        assertThat(chunks.get(1)).contains("\"reasoning_content\"");
        assertThat(carries(chunks.get(1))).as("the first thought").isTrue();
    }
}
