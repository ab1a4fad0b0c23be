package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import dev.switchboard.llm.Usage;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ChatJsonTest {
    private final ChatJson plain = new ChatJson("chatcmpl-1", 1700000000L, "gpt-4o", false);
    private final ChatJson withUsage = new ChatJson("chatcmpl-1", 1700000000L, "gpt-4o", true);

    private static JsonObject parse(byte[] json) {
        return Json.parseObject(json);
    }

    private static JsonObject firstChoice(byte[] chunk) {
        return parse(chunk).getJsonArray("choices").getJsonObject(0);
    }

    @Test
    void everyChunkRepeatsIdCreatedAndModel() {
        for (byte[] chunk : List.of(plain.roleChunk(0), plain.contentChunk(0, "x"), plain.finishChunk(0, "stop"),
                plain.usageChunk(new Usage(1, 2)))) {
            JsonObject json = parse(chunk);
            assertThat(json.getString("id")).isEqualTo("chatcmpl-1");
            assertThat(json.getString("object")).isEqualTo("chat.completion.chunk");
            assertThat(json.getJsonNumber("created").longValue()).isEqualTo(1700000000L);
            assertThat(json.getString("model")).isEqualTo("gpt-4o");
        }
    }

    @Test
    void roleChunkOpensTheAssistantMessage() {
        JsonObject choice = firstChoice(plain.roleChunk(2));

        assertThat(choice.getInt("index")).isEqualTo(2);
        assertThat(choice.getJsonObject("delta").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"\"}");
        assertThat(choice.get("logprobs")).isEqualTo(JsonValue.NULL);
        assertThat(choice.get("finish_reason")).isEqualTo(JsonValue.NULL);
    }

    @Test
    void contentAndReasoningChunksCarryTheirText() {
        assertThat(firstChoice(plain.contentChunk(0, "a \"quoted\"\n\u20ac")).getJsonObject("delta").getString("content"))
                .isEqualTo("a \"quoted\"\n\u20ac");
        assertThat(firstChoice(plain.reasoningChunk(0, "thinking")).getJsonObject("delta").keySet())
                .containsExactly("reasoning_content");
    }

    @Test
    void toolCallChunksFollowOpenAisShape() {
        JsonObject start = firstChoice(plain.toolCallStartChunk(0, 1, "call_9", "get_weather", ""))
                .getJsonObject("delta").getJsonArray("tool_calls").getJsonObject(0);
        JsonObject more = firstChoice(plain.toolCallArgumentsChunk(0, 1, "{\"city\":"))
                .getJsonObject("delta").getJsonArray("tool_calls").getJsonObject(0);

        assertThat(start.getInt("index")).isEqualTo(1);
        assertThat(start.getString("id")).isEqualTo("call_9");
        assertThat(start.getString("type")).isEqualTo("function");
        assertThat(start.getJsonObject("function").getString("name")).isEqualTo("get_weather");
        assertThat(start.getJsonObject("function").getString("arguments")).isEmpty();
        assertThat(more.keySet()).containsExactly("index", "function");
        assertThat(more.getJsonObject("function").toString()).isEqualTo("{\"arguments\":\"{\\\"city\\\":\"}");
    }

    @Test
    void finishChunkHasAnEmptyDeltaAndTheReason() {
        JsonObject choice = firstChoice(plain.finishChunk(0, "length"));

        assertThat(choice.getJsonObject("delta")).isEmpty();
        assertThat(choice.getString("finish_reason")).isEqualTo("length");
    }

    @Test
    void usageFieldIsNullOnEveryChunkOnlyWhenAskedFor() {
        assertThat(parse(plain.contentChunk(0, "x"))).doesNotContainKey("usage");
        assertThat(parse(withUsage.contentChunk(0, "x")).get("usage")).isEqualTo(JsonValue.NULL);
        assertThat(parse(withUsage.roleChunk(0)).get("usage")).isEqualTo(JsonValue.NULL);
        assertThat(parse(withUsage.finishChunk(0, "stop")).get("usage")).isEqualTo(JsonValue.NULL);
    }

    @Test
    void usageChunkHasNoChoicesAndTheFullUsage() {
        JsonObject json = parse(withUsage.usageChunk(new Usage(10, 20, 4, 5)));

        assertThat(json.getJsonArray("choices")).isEmpty();
        JsonObject usage = json.getJsonObject("usage");
        assertThat(usage.getInt("prompt_tokens")).isEqualTo(10);
        assertThat(usage.getInt("completion_tokens")).isEqualTo(20);
        assertThat(usage.getInt("total_tokens")).isEqualTo(30);
        assertThat(usage.getJsonObject("prompt_tokens_details").getInt("cached_tokens")).isEqualTo(4);
        assertThat(usage.getJsonObject("completion_tokens_details").getInt("reasoning_tokens")).isEqualTo(5);
    }

    @Test
    void completionWritesEveryChoice() {
        byte[] json = plain.completion(List.of(
                new Choice(0, "Hello", null, List.of(), "stop"),
                new Choice(1, null, "because", List.of(new ToolCall("call_1", "lookup", "{\"q\":1}")), "tool_calls")),
                new Usage(3, 4));

        JsonObject completion = parse(json);
        assertThat(completion.getString("object")).isEqualTo("chat.completion");
        JsonObject first = completion.getJsonArray("choices").getJsonObject(0);
        assertThat(first.getJsonObject("message").getString("content")).isEqualTo("Hello");
        assertThat(first.getJsonObject("message")).doesNotContainKeys("tool_calls", "reasoning_content");
        assertThat(first.getJsonObject("message").get("refusal")).isEqualTo(JsonValue.NULL);
        JsonObject second = completion.getJsonArray("choices").getJsonObject(1);
        assertThat(second.getInt("index")).isEqualTo(1);
        assertThat(second.getJsonObject("message").get("content")).isEqualTo(JsonValue.NULL);
        assertThat(second.getJsonObject("message").getString("reasoning_content")).isEqualTo("because");
        JsonObject call = second.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
        assertThat(call.getString("id")).isEqualTo("call_1");
        assertThat(call.getString("type")).isEqualTo("function");
        assertThat(call.getJsonObject("function").getString("name")).isEqualTo("lookup");
        assertThat(call.getJsonObject("function").getString("arguments")).isEqualTo("{\"q\":1}");
        assertThat(second.getString("finish_reason")).isEqualTo("tool_calls");
        assertThat(completion.getJsonObject("usage").getInt("total_tokens")).isEqualTo(7);
    }

    @Test
    void oneInstanceWritesManyChunksWithoutMixingThemUp() {
        byte[] first = plain.contentChunk(0, "first");
        byte[] second = plain.contentChunk(0, "second");

        assertThat(firstChoice(first).getJsonObject("delta").getString("content")).isEqualTo("first");
        assertThat(firstChoice(second).getJsonObject("delta").getString("content")).isEqualTo("second");
    }

    /**
     * A chunk as the JSON-P generator writes it, member by member: what ChatJson wrote before its
     * chunks were put together from pre-encoded parts, the reference they must match byte for byte.
     */
    private static byte[] generatedChunk(String id, String model, boolean usageField, int choice,
                                         Consumer<JsonGenerator> delta, String finishReason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject().write("id", id).write("object", "chat.completion.chunk").write("created", 1700000000L)
                    .write("model", model);
            g.writeStartArray("choices").writeStartObject().write("index", choice);
            g.writeStartObject("delta");
            delta.accept(g);
            g.writeEnd();
            g.writeNull("logprobs");
            if (finishReason == null) {
                g.writeNull("finish_reason");
            } else {
                g.write("finish_reason", finishReason);
            }
            g.writeEnd().writeEnd();
            if (usageField) {
                g.writeNull("usage");
            }
            g.writeEnd();
        }
        return out.toByteArray();
    }

    @Test
    void chunksAreByteForByteWhatTheGeneratorWrites() {
        String awkward = "a \"quoted\" \\ text\n\t\u0001 é € \uD83D\uDE00 </script> \u2028";
        for (String id : List.of("chatcmpl-1", "msg_\"odd\u00e9")) {
            for (boolean usageField : List.of(false, true)) {
                ChatJson json = new ChatJson(id, 1700000000L, "gpt-4o\u20ac", usageField);
                for (int choice : List.of(0, 3, 12)) {
                    assertThat(json.roleChunk(choice)).isEqualTo(generatedChunk(id, "gpt-4o\u20ac", usageField, choice,
                            g -> g.write("role", "assistant").write("content", ""), null));
                    assertThat(json.contentChunk(choice, awkward)).isEqualTo(generatedChunk(id, "gpt-4o\u20ac",
                            usageField, choice, g -> g.write("content", awkward), null));
                    assertThat(json.reasoningChunk(choice, awkward)).isEqualTo(generatedChunk(id, "gpt-4o\u20ac",
                            usageField, choice, g -> g.write("reasoning_content", awkward), null));
                    assertThat(json.toolCallStartChunk(choice, 7, "call_\"9", "get_weather", "{\"a\":")).isEqualTo(
                            generatedChunk(id, "gpt-4o\u20ac", usageField, choice, g -> g.writeStartArray("tool_calls")
                                    .writeStartObject().write("index", 7).write("id", "call_\"9").write("type", "function")
                                    .writeStartObject("function").write("name", "get_weather").write("arguments", "{\"a\":")
                                    .writeEnd().writeEnd().writeEnd(), null));
                    assertThat(json.toolCallArgumentsChunk(choice, 7, awkward)).isEqualTo(generatedChunk(id,
                            "gpt-4o\u20ac", usageField, choice, g -> g.writeStartArray("tool_calls").writeStartObject()
                                    .write("index", 7).writeStartObject("function").write("arguments", awkward)
                                    .writeEnd().writeEnd().writeEnd(), null));
                    for (String reason : Arrays.asList("stop", "tool_calls", null)) {
                        assertThat(json.finishChunk(choice, reason)).isEqualTo(generatedChunk(id, "gpt-4o\u20ac",
                                usageField, choice, g -> { }, reason));
                    }
                }
            }
        }
    }
}
