package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.json.Json;
import dev.switchboard.provider.ProviderCall;
import jakarta.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the OpenAI-compatible connector sends when a history that Gemini answered comes its way:
 * signed tool-call ids shortened on both sides, everything else as the client sent it.
 */
class RelayBodyTest {
    private static final ProviderConfig PROVIDER = new ProviderConfig("openai", ProviderType.OPENAI,
            URI.create("http://127.0.0.1:1/v1"), "sk-x", Map.of(), Timeouts.DEFAULTS);
    private static final ModelConfig MODEL = new ModelConfig("gpt", "openai", "gpt-4o", null);
    private static final String SIGNED = "call_r1_0_0__thought__CiQBH7Fs9x+mq0Xx4y/Ptvcw3mcBvg1Ht0s=";
    private static final String SHORT = "call_f5fd9bc26f4de7351d898ff2";

    private static ChatRequest request(String singleQuoted) {
        byte[] body = singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(body, body.length);
    }

    private static byte[] sent(ChatRequest request) {
        return new OpenAiConnector(null, null).upstreamRequest(new ProviderCall(request, MODEL, PROVIDER, "req_test")).body();
    }

    @Test
    void aBodyWithoutTheMarkerGoesOutByteForByteWithOnlyTheModelReplaced() {
        ChatRequest request = request("{ 'model' : 'smart','messages':[{'role':'user','content':'hi'}],"
                + "'temperature':1.50,'tool_choice':'auto' }");

        assertThat(sent(request)).isEqualTo(request.bodyWithModel("gpt-4o"));
        assertThat(new String(sent(request), StandardCharsets.UTF_8)).contains("1.50").contains("\"model\" : \"gpt-4o\"");
    }

    @Test
    void theMarkerInTextAloneChangesNothing() {
        ChatRequest request = request("{'model':'smart','messages':[{'role':'user','content':'what is __thought__?'}],"
                + "'temperature':1.50}");

        assertThat(sent(request)).isEqualTo(request.bodyWithModel("gpt-4o"));
    }

    @Test
    void signedIdsAreShortenedConsistentlyInCallsAndResults() {
        ChatRequest request = request("""
                {'model':'smart','messages':[{'role':'user','content':'Paris and Rome?'},
                  {'role':'assistant','content':null,'tool_calls':[
                    {'id':'%1$s','type':'function','function':{'name':'get_weather','arguments':'{}'}},
                    {'id':'call_r1_0_1','type':'function','function':{'name':'get_weather','arguments':'{}'}}]},
                  {'role':'tool','tool_call_id':'%1$s','content':'18C'},
                  {'role':'tool','tool_call_id':'call_r1_0_1','content':'24C'}],
                 'stream':true,'some_future_field':{'a':[1,2]}}""".formatted(SIGNED));

        JsonObject body = Json.parseObject(sent(request));

        assertThat(body).isEqualTo(Json.parseObject("""
                {'model':'gpt-4o','messages':[{'role':'user','content':'Paris and Rome?'},
                  {'role':'assistant','content':null,'tool_calls':[
                    {'id':'%1$s','type':'function','function':{'name':'get_weather','arguments':'{}'}},
                    {'id':'call_r1_0_1','type':'function','function':{'name':'get_weather','arguments':'{}'}}]},
                  {'role':'tool','tool_call_id':'%1$s','content':'18C'},
                  {'role':'tool','tool_call_id':'call_r1_0_1','content':'24C'}],
                 'stream':true,'some_future_field':{'a':[1,2]},'stream_options':{'include_usage':true}}""".formatted(SHORT).replace('\'', '"')));
        assertThat(body.toString()).doesNotContain("__thought__");
    }

    @Test
    void aStreamAsksForUsageWithTheRestByteForByte() {
        ChatRequest request = request("{ 'model' : 'smart','messages':[{'role':'user','content':'hi'}],'stream':true,"
                + "'temperature':1.50 }");

        assertThat(new String(sent(request), StandardCharsets.UTF_8)).isEqualTo(("{'stream_options':{'include_usage':true},"
                + " 'model' : 'gpt-4o','messages':[{'role':'user','content':'hi'}],'stream':true,'temperature':1.50 }")
                .replace('\'', '"'));
    }

    @Test
    void aStreamWithOtherStreamOptionsKeepsThemAndAsksForUsage() {
        ChatRequest request = request("{'model':'smart','messages':[{'role':'user','content':'hi'}],'stream':true,"
                + "'stream_options':{'include_usage':false,'include_obfuscation':false}}");

        assertThat(Json.parseObject(sent(request)).getJsonObject("stream_options")).isEqualTo(Json.parseObject(
                "{\"include_usage\":true,\"include_obfuscation\":false}"));
    }

    @Test
    void aStreamWhoseStreamOptionsAreNullAsksForUsage() {
        ChatRequest request = request("{'model':'smart','messages':[{'role':'user','content':'hi'}],'stream':true,"
                + "'stream_options':null}");

        assertThat(Json.parseObject(sent(request)).getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    }

    @Test
    void aStreamThatAskedForUsageItselfGoesOutAsItCame() {
        ChatRequest request = request("{'model':'smart','messages':[{'role':'user','content':'hi'}],'stream':true,"
                + "'stream_options':{'include_usage':true}}");

        assertThat(sent(request)).isEqualTo(request.bodyWithModel("gpt-4o"));
    }
}
