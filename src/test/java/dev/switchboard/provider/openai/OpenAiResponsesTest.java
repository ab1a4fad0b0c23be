package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.openai.OpenAiResponses.ChunkFacts;
import dev.switchboard.provider.openai.OpenAiResponses.ErrorFields;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiResponsesTest {
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ErrorFields readError(String body) {
        byte[] bytes = utf8(body);
        return OpenAiResponses.readError(bytes, bytes.length);
    }

    /** The template with DEEP replaced by arrays nested deeper than {@link Json#MAX_DEPTH}. */
    private static String deeplyNested(String template) {
        int depth = Json.MAX_DEPTH + 5;
        return template.replace("DEEP", "[".repeat(depth) + "]".repeat(depth));
    }

    // ---- readError -----------------------------------------------------------------------------

    static Stream<Arguments> errorBodies() {
        return Stream.of(
                Arguments.of("OpenAI shape",
                        "{\"error\":{\"message\":\"The model 'x' does not exist\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}",
                        new ErrorFields("The model 'x' does not exist", "invalid_request_error", "model", "model_not_found")),
                Arguments.of("OpenAI shape with nulls",
                        "{\"error\":{\"message\":\"Rate limit\",\"type\":\"requests\",\"param\":null,\"code\":null}}",
                        new ErrorFields("Rate limit", "requests", null, null)),
                Arguments.of("numeric code", "{\"error\":{\"message\":\"m\",\"code\":429}}", new ErrorFields("m", null, null, "429")),
                Arguments.of("error object without message", "{\"error\":{\"type\":\"server_error\"}}", new ErrorFields(null, "server_error", null, null)),
                Arguments.of("error as text", "{\"error\":\"model not loaded\"}", new ErrorFields("model not loaded", null, null, null)),
                Arguments.of("FastAPI detail text", "{\"detail\":\"Not Found\"}", new ErrorFields("Not Found", null, null, null)),
                Arguments.of("FastAPI validation detail", "{\"detail\":[{\"loc\":[\"body\",\"model\"],\"msg\":\"field required\"}]}",
                        new ErrorFields("[{\"loc\":[\"body\",\"model\"],\"msg\":\"field required\"}]", null, null, null)),
                Arguments.of("top-level message", "{\"message\":\"Unauthorized\",\"status\":401}", new ErrorFields("Unauthorized", null, null, null)),
                Arguments.of("empty object", "{}", new ErrorFields(null, null, null, null)),
                Arguments.of("surrounded by whitespace", "\n  {\"error\":\"x\"}  \r\n", new ErrorFields("x", null, null, null)),
                Arguments.of("plain text", "Bad Gateway", new ErrorFields("Bad Gateway", null, null, null)),
                Arguments.of("plain text trimmed", "  upstream connect error \n", new ErrorFields("upstream connect error", null, null, null)),
                Arguments.of("HTML", "<html><body>502</body></html>", new ErrorFields("<html><body>502</body></html>", null, null, null)),
                Arguments.of("JSON array", "[1,2]", new ErrorFields("[1,2]", null, null, null)),
                Arguments.of("JSON string", "\"oops\"", new ErrorFields("\"oops\"", null, null, null)),
                Arguments.of("truncated JSON", "{\"error\":{\"message\":\"cut", new ErrorFields("{\"error\":{\"message\":\"cut", null, null, null)),
                Arguments.of("empty", "", new ErrorFields(null, null, null, null)),
                Arguments.of("whitespace only", " \n\t ", new ErrorFields(null, null, null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorBodies")
    void readErrorUnderstandsTheShapesCompatibleServersUse(String name, String body, ErrorFields expected) {
        assertThat(readError(body)).isEqualTo(expected);
    }

    @Test
    void aLongTextBodyIsQuotedWholeForTheAttemptsSinkToRedactAndCut() {
        String body = "x".repeat(499) + "y" + "z".repeat(600);

        ErrorFields fields = readError(body);

        assertThat(fields.message()).isEqualTo(body);
    }

    @Test
    void textBodyOfExactly500CharactersIsKeptWhole() {
        assertThat(readError("a".repeat(500)).message()).isEqualTo("a".repeat(500));
    }

    @Test
    void readErrorHonoursTheLength() {
        byte[] bytes = utf8("{\"error\":\"short\"}{\"junk\"");

        assertThat(OpenAiResponses.readError(bytes, 17).message()).isEqualTo("short");
    }

    @Test
    void readErrorSurvivesInvalidUtf8() {
        byte[] bytes = {'o', 'o', (byte) 0xFF, 'p', 's'};

        assertThat(OpenAiResponses.readError(bytes, bytes.length).message()).startsWith("oo").endsWith("ps");
    }

    @Test
    void readErrorOfTooDeepJsonQuotesIt() {
        String body = deeplyNested("{\"error\":{\"message\":\"m\",\"a\":DEEP}}");

        assertThat(readError(body).message()).startsWith("{\"error\":{\"message\":\"m\",\"a\":[[[");
    }

    // ---- readUsage -----------------------------------------------------------------------------

    @Test
    void readUsageReadsTheTopLevelUsageWithDetails() {
        byte[] body = utf8("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\",\"usage\":{\"prompt_tokens\":999}},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":30,\"total_tokens\":42,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":8},\"completion_tokens_details\":{\"reasoning_tokens\":20}},"
                + "\"system_fingerprint\":null}");

        assertThat(OpenAiResponses.readUsage(body)).isEqualTo(new Usage(12, 30, 8, 20));
    }

    @Test
    void readUsageWithoutDetailsCountsNoCachedOrReasoningTokens() {
        assertThat(OpenAiResponses.readUsage(utf8("{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}")))
                .isEqualTo(new Usage(1, 2, 0, 0));
    }

    @Test
    void readUsageTreatsMissingNumbersAsZero() {
        assertThat(OpenAiResponses.readUsage(utf8("{\"usage\":{\"completion_tokens\":\"many\"}}"))).isEqualTo(Usage.NONE);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{\"id\":\"x\",\"choices\":[]}",
            "{\"usage\":null}",
            "{\"usage\":5}",
            "{\"choices\":[{\"usage\":{\"prompt_tokens\":1}}]}",
            "{\"nested\":{\"usage\":{\"prompt_tokens\":1}}}",
            "{}",
            "[{\"usage\":{\"prompt_tokens\":1}}]",
            "not json",
            "",
            "{\"usage\":{\"prompt_tokens\":1"})
    void readUsageFindsNoUsage(String body) {
        assertThat(OpenAiResponses.readUsage(utf8(body))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"choices\":[{\"a\":DEEP}]}", "{\"usage\":{\"prompt_tokens\":1,\"a\":DEEP}}", "{\"other\":DEEP}"})
    void readUsageOfTooDeepJsonFindsNone(String template) {
        assertThat(OpenAiResponses.readUsage(utf8(deeplyNested(template)))).isNull();
    }

    @Test
    void readUsageIgnoresUsageInsideTheMessagesText() {
        byte[] body = utf8("{\"choices\":[{\"message\":{\"content\":\"{\\\"usage\\\":{\\\"prompt_tokens\\\":9}} \\\\\"}}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}");

        assertThat(OpenAiResponses.readUsage(body)).isEqualTo(new Usage(1, 2));
    }

    @Test
    void readUsageHonoursTheLength() {
        byte[] body = utf8("{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}{\"usage\":{\"prompt_tokens\":5}}");

        assertThat(OpenAiResponses.readUsage(body, 51)).isEqualTo(new Usage(1, 2));
        assertThat(OpenAiResponses.readUsage(body, 49)).isNull();
    }

    @Test
    void readUsageReadsNumbersThatAreNotPlainIntegersAsTheParserDoes() {
        assertThat(OpenAiResponses.readUsage(utf8("{\"usage\":{\"prompt_tokens\":1.9e1,\"completion_tokens\":-0,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":2.5}}}"))).isEqualTo(new Usage(19, 0, 2, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"choices\":[", "{\"choices\":[{\"a\":1}", "{\"id\":\"x\",\"system\":{\"a\":\"b\""})
    @org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aReplyCutOffInsideAValueFindsNoUsageInsteadOfSpinning(String body) {
        // The JSON-P parser's skipArray/skipObject loop for ever at the end of such a text.
        assertThat(OpenAiResponses.readUsage(utf8(body))).isNull();
    }

    // ---- readChunk -----------------------------------------------------------------------------

    static Stream<Arguments> chunks() {
        return Stream.of(
                Arguments.of("content delta",
                        "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}",
                        new ChunkFacts(null, false, null, false)),
                Arguments.of("finish reason stop",
                        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                        new ChunkFacts(null, true, null, false)),
                Arguments.of("finish reason tool_calls on the second choice",
                        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null},{\"index\":1,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
                        new ChunkFacts(null, true, null, false)),
                Arguments.of("finish reason absent", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}", new ChunkFacts(null, false, null, false)),
                Arguments.of("finish reason not a string", "{\"choices\":[{\"finish_reason\":1}]}", new ChunkFacts(null, false, null, false)),
                Arguments.of("finish reason with spaces", "{\"choices\":[{\"delta\":{}, \"finish_reason\" : \"stop\"}]}",
                        new ChunkFacts(null, true, null, false)),
                Arguments.of("the keys' names inside text", "{\"choices\":[{\"delta\":{\"content\":\"\\\"usage\\\" \\\"error\\\" \\\"finish_reason\\\":\\\"stop\\\"\"},\"finish_reason\":null}]}",
                        new ChunkFacts(null, false, null, false)),
                Arguments.of("usage-only chunk",
                        "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}",
                        new ChunkFacts(new Usage(5, 7), false, null, true)),
                Arguments.of("usage before choices",
                        "{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7},\"choices\":[{\"finish_reason\":\"length\"}]}",
                        new ChunkFacts(new Usage(5, 7), true, null, false)),
                Arguments.of("usage without choices",
                        "{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}",
                        new ChunkFacts(new Usage(5, 7), false, null, true)),
                Arguments.of("usage null", "{\"choices\":[{\"delta\":{}}],\"usage\":null}", new ChunkFacts(null, false, null, false)),
                Arguments.of("error object",
                        "{\"error\":{\"message\":\"context too long\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
                        new ChunkFacts(null, false, new ErrorFields("context too long", "invalid_request_error", "messages", "context_length_exceeded"), false)),
                Arguments.of("error text", "{\"error\":\"overloaded\"}", new ChunkFacts(null, false, new ErrorFields("overloaded", null, null, null), false)),
                Arguments.of("error null", "{\"error\":null,\"choices\":[]}", new ChunkFacts(null, false, null, false)),
                Arguments.of("nested objects skipped", "{\"x\":{\"usage\":{\"prompt_tokens\":1},\"error\":\"no\"},\"y\":[{\"finish_reason\":\"stop\"}]}",
                        new ChunkFacts(null, false, null, false)),
                Arguments.of("not JSON", "garbage", new ChunkFacts(null, false, null, false)),
                Arguments.of("array", "[{\"error\":\"x\"}]", new ChunkFacts(null, false, null, false)),
                Arguments.of("empty", "", new ChunkFacts(null, false, null, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunks")
    void readChunkReportsUsageFinishAndError(String name, String chunk, ChunkFacts expected) {
        assertThat(OpenAiResponses.readChunk(utf8(chunk))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"choices\":{\"usage\":{\"prompt_tokens\":5},\"finish_reason\":\"stop\"}}",
        "{\"choices\":{\"error\":\"no\"},\"x\":[{\"usage\":{\"prompt_tokens\":5}}],\"usage\":null}",
        "{\"usage\":[{\"usage\":{\"prompt_tokens\":5}}],\"finish_reason\":\"stop\"}",
        "{\"error\":[{\"usage\":{\"prompt_tokens\":5}}],\"finish_reason\":\"stop\"}"
    })
    void readChunkNeverTakesANestedMemberForTheChunksOwn(String chunk) {
        assertThat(OpenAiResponses.readChunk(utf8(chunk))).isEqualTo(new ChunkFacts(null, false, null, false));
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aChunkCutOffInsideASkippedValueReportsNothingInsteadOfSpinning() {
        assertThat(OpenAiResponses.readChunk(utf8("{\"usage\":{\"prompt_tokens\":1},\"x\":{\"a\":1")))
                .isEqualTo(new ChunkFacts(null, false, null, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"choices\":[{\"finish_reason\":\"stop\",\"a\":DEEP}]}", "{\"usage\":{\"a\":DEEP}}",
            "{\"error\":{\"a\":DEEP}}", "{\"other\":DEEP}"})
    void readChunkOfTooDeepJsonReportsNothingSoItIsRelayedAsItIs(String template) {
        assertThat(OpenAiResponses.readChunk(utf8(deeplyNested(template)))).isEqualTo(new ChunkFacts(null, false, null, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}],\"usage\":null}",
        "{\"choices\": [{\"delta\": {\"content\": \"an \\\"error\\\" in text\"}, \"finish_reason\": null}], \"usage\": null}"
    })
    void chunksWithNothingToReadSkipTheParser(String chunk) {
        assertThat(OpenAiResponses.mayCarryFacts(utf8(chunk))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5}}",
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}",
        "{\"error\":{\"message\":\"overloaded\"}}"
    })
    void chunksWithUsageAFinishOrAnErrorAreParsed(String chunk) {
        assertThat(OpenAiResponses.mayCarryFacts(utf8(chunk))).isTrue();
    }
}
