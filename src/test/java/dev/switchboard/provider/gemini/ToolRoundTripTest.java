package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.gemini.TestJson.json;
import static dev.switchboard.provider.gemini.TestJson.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Protocol;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full tool turn with a thinking model: Gemini's function calls go to the client as OpenAI tool
 * calls, the client sends them back with its results exactly as an OpenAI client does, and the next
 * Gemini request must hold the same functionCall parts with their thought signatures, and
 * functionResponse parts named after the functions (docs/protocols/openai-to-gemini.md A2.2, B6.2).
 */
class ToolRoundTripTest {
    private static final ModelConfig MODEL = new ModelConfig("gem", "google", "gemini-3-pro", null);
    private static final String SIGNATURE = "CiQBH7Fs9x+mq0Xx4y/Ptvcw3mcBvg1Ht0s=";
    private static final String USER = "{'role':'user','content':'Weather in Paris and Rome?'}";

    @Test
    void nonStreamingReplyRoundTrips() {
        byte[] reply = """
                {"candidates":[{"content":{"role":"model","parts":[
                  {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"%s"},
                  {"functionCall":{"name":"get_weather","args":{"city":"Rome"}}}]},"finishReason":"STOP","index":0}],
                 "responseId":"rt1"}""".formatted(SIGNATURE).getBytes(StandardCharsets.UTF_8);
        ChatRequest first = request("{'model':'gem','messages':[" + USER + "]}");
        JsonObject completion = Json.parseObject(first.format().response(GeminiReplyDecoder.decode(reply, reply.length,
                ReplyContext.of(first.llmRequest(), MODEL, "x")), "req"));
        JsonObject assistant = completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message");

        assertNextRequestRestores(assistant.getJsonArray("tool_calls"));
    }

    @Test
    void streamedReplyRoundTrips() {
        String stream = ("data: {\"candidates\": [{\"content\": {\"parts\": [{\"functionCall\": {\"name\": \"get_weather\","
                + "\"args\": {\"city\": \"Paris\"}},\"thoughtSignature\": \"%s\"}],\"role\": \"model\"},\"index\": 0}],"
                + "\"responseId\": \"rt1\"}\r\n\r\n"
                + "data: {\"candidates\": [{\"content\": {\"parts\": [{\"functionCall\": {\"name\": \"get_weather\","
                + "\"args\": {\"city\": \"Rome\"}}}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],"
                + "\"responseId\": \"rt1\"}\r\n\r\n").formatted(SIGNATURE);
        dev.switchboard.chat.ChatRequest request = request("{'model':'gem','messages':[" + USER + "],'stream':true}");
        dev.switchboard.provider.http.StreamTranslator translator = new dev.switchboard.provider.http.DecodedStream(
                new GeminiStreamDecoder(ReplyContext.of(request.llmRequest(), MODEL, "x")), request.format().streamEncoder("req"));
        StreamHarness.Result result = StreamHarness.whole(translator, stream.getBytes(StandardCharsets.UTF_8));

        // What an OpenAI client accumulates from the tool-call deltas.
        JsonArrayBuilder toolCalls = Json.PROVIDER.createArrayBuilder();
        for (String chunk : result.chunks()) {
            JsonObject delta = Json.parseObject(chunk).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
            if (delta.containsKey("tool_calls")) {
                JsonObject call = delta.getJsonArray("tool_calls").getJsonObject(0);
                toolCalls.add(Json.PROVIDER.createObjectBuilder(call).remove("index"));
            }
        }
        assertNextRequestRestores(toolCalls.build());
    }

    private static void assertNextRequestRestores(JsonArray toolCalls) {
        assertThat(toolCalls).hasSize(2);
        List<String> ids = new ArrayList<>();
        toolCalls.forEach(call -> ids.add(call.asJsonObject().getString("id")));
        String assistant = Json.PROVIDER.createObjectBuilder().add("role", "assistant").addNull("content")
                .add("tool_calls", toolCalls).build().toString().replace('"', '\'');
        String next = "{'model':'gem','messages':[" + USER + "," + assistant
                + ",{'role':'tool','tool_call_id':'" + ids.get(0) + "','content':'18C'}"
                + ",{'role':'tool','tool_call_id':'" + ids.get(1) + "','content':'24C'}]}";

        JsonObject body = mapWithDefaultBudget(request(next), MODEL);

        assertThat(body.getJsonArray("contents")).isEqualTo(json("""
                {'c':[{'role':'user','parts':[{'text':'Weather in Paris and Rome?'}]},
                  {'role':'model','parts':[
                    {'functionCall':{'name':'get_weather','args':{'city':'Paris'}},'thoughtSignature':'%s'},
                    {'functionCall':{'name':'get_weather','args':{'city':'Rome'}}}]},
                  {'role':'user','parts':[
                    {'functionResponse':{'name':'get_weather','response':{'output':'18C'}}},
                    {'functionResponse':{'name':'get_weather','response':{'output':'24C'}}}]}]}"""
                .formatted(SIGNATURE)).getJsonArray("c"));
    }

    /** Maps with the budget the connector would give this request at the default factor. */
    static JsonObject mapWithDefaultBudget(ChatRequest request, ModelConfig model) {
        return GeminiRequestMapper.map(request.llmRequest(), Protocol.CHAT, model,
                new TranslationBudget(request.bodyLength(), ProviderConfig.DEFAULT_MAX_TRANSLATION_FACTOR));
    }
}
