package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.gemini.TestJson.json;
import static dev.switchboard.provider.gemini.TestJson.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.provider.FailureKind;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.http.RedactingSink;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import jakarta.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The upstream call the connector builds and how it reads replies; no socket involved. */
class GeminiConnectorTest {
    private static final String KEY = "AIzaSyTestKey-123";
    private static final ProviderConfig PROVIDER = new ProviderConfig("google", ProviderType.GEMINI,
            URI.create("https://generativelanguage.googleapis.com"), KEY, Map.of("x-goog-user-project", "p1"),
            new Timeouts(1234, 5000, 6000));
    private static final ModelConfig MODEL = new ModelConfig("gem", "google", "gemini-2.5-flash", null);
    // The HTTP client and scheduler are only used once a call really starts, which these tests never do.
    private final GeminiConnector connector = new GeminiConnector(null, null);

    @Test
    void nonStreamingCallGoesToGenerateContentWithTheKeyInAHeader() {
        UpstreamRequest upstream = connector.upstreamRequest(new ProviderCall(request("{'model':'gem','messages':[{'role':'user','content':'Hi'}]}"), MODEL, PROVIDER, "req_test"));

        assertThat(upstream.uri()).isEqualTo(URI.create(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"));
        assertThat(upstream.uri().toString()).doesNotContain(KEY);
        assertThat(upstream.headers()).containsExactly(
                new UpstreamRequest.Header("Accept", "application/json"),
                new UpstreamRequest.Header("x-goog-api-key", KEY),
                new UpstreamRequest.Header("x-goog-user-project", "p1"));
        assertThat(Json.parseObject(upstream.body())).isEqualTo(json("{'contents':[{'role':'user','parts':[{'text':'Hi'}]}]}"));
        assertThat(upstream.connectTimeoutMs()).isEqualTo(1234);
    }

    @Test
    void streamingCallAsksForSse() {
        UpstreamRequest upstream = connector.upstreamRequest(new ProviderCall(request("{'model':'gem','messages':[{'role':'user','content':'Hi'}],'stream':true}"), MODEL, PROVIDER, "req_test"));

        assertThat(upstream.uri()).isEqualTo(URI.create(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
        assertThat(upstream.headers().get(0)).isEqualTo(new UpstreamRequest.Header("Accept", "text/event-stream"));
    }

    @Test
    void noKeyConfiguredSendsNoKeyHeader() {
        ProviderConfig keyless = new ProviderConfig("local", ProviderType.GEMINI, URI.create("http://localhost:9000/proxy"),
                null, Map.of(), Timeouts.DEFAULTS);

        UpstreamRequest upstream = connector.upstreamRequest(new ProviderCall(request("{'model':'gem','messages':[{'role':'user','content':'Hi'}]}"), MODEL, keyless, "req_test"));

        assertThat(upstream.uri().toString()).isEqualTo("http://localhost:9000/proxy/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(upstream.headers()).extracting(UpstreamRequest.Header::name).containsExactly("Accept");
    }

    @Test
    void modelNameIsOnePathSegment() {
        assertThat(GeminiConnector.modelSegment("gemini-2.5-flash")).isEqualTo("gemini-2.5-flash");
        assertThat(GeminiConnector.modelSegment("models/gemini-2.5-pro")).isEqualTo("gemini-2.5-pro");
        assertThat(GeminiConnector.modelSegment("a/b:c?d e")).isEqualTo("a%2Fb%3Ac%3Fd%20e");
        assertThat(GeminiConnector.modelSegment("modèle")).isEqualTo("mod%C3%A8le");
    }

    @Test
    void untranslatableRequestIsA400BeforeAnyCall() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connector.upstreamRequest(new ProviderCall(request(
                        "{'model':'gem','messages':[{'role':'user','content':'x'}],'tools':[{'type':'custom','custom':{'name':'c'}}]}"), MODEL, PROVIDER, "req_test")))
                .isInstanceOfSatisfying(dev.switchboard.error.GatewayException.class,
                        e -> assertThat(e.error().param()).isEqualTo("tools[0].type"));
    }

    @Test
    void upstreamErrorReadsGeminisBodyAndRetryAfter() {
        byte[] body = "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}"
                .getBytes(StandardCharsets.UTF_8);

        GatewayError error = connector.upstreamError(PROVIDER, response(429, Map.of("retry-after", "9")), body, body.length);

        assertThat(error.status()).isEqualTo(429);
        assertThat(error.retryAfter()).isEqualTo("9");
        assertThat(error.message()).isEqualTo("Resource has been exhausted");
    }

    @Test
    void aRedirectIsANonRetryable502AndTheKeyNeverReachesTheClient() {
        byte[] html = "<html>Moved</html>".getBytes(StandardCharsets.UTF_8);
        byte[] echo = ("{\"error\":{\"code\":400,\"message\":\"API key " + KEY + " not valid.\",\"status\":\"INVALID_ARGUMENT\","
                + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\"}]}}")
                .getBytes(StandardCharsets.UTF_8);

        GatewayError redirect = connector.upstreamError(PROVIDER, response(301, Map.of()), html, html.length);
        GatewayError rejected = RedactingSink.clean(connector.upstreamError(PROVIDER, response(400, Map.of()), echo,
                echo.length), PROVIDER.secrets());

        assertThat(redirect.status()).isEqualTo(502);
        assertThat(FailureKind.of(redirect.kind()).retryable()).isFalse();
        assertThat(redirect.message()).contains("HTTP 301");
        assertThat(rejected.status()).isEqualTo(401);
        assertThat(rejected.message()).doesNotContain(KEY).contains("API key <redacted> not valid.");
    }

    @Test
    void completionAndStreamTranslatorReportTheConfiguredUpstreamModelWhenGeminiNamesNone() {
        byte[] body = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}],\"responseId\":\"r\"}"
                .getBytes(StandardCharsets.UTF_8);

        var completion = Json.parseObject(connector.completion(new ProviderCall(request("{'model':'gem','messages':[{'role':'user','content':'x'}]}"), MODEL, PROVIDER, "req_test"), body, body.length).json());
        List<String> chunks = StreamHarness.whole(connector.streamTranslator(new ProviderCall(request("{'model':'gem','messages':[{'role':'user','content':'x'}],'stream':true}"), MODEL, PROVIDER, "req_test")),
                ("data: " + new String(body, StandardCharsets.UTF_8) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8)).chunks();

        // The provider's model, as the Anthropic and OpenAI connectors report it; not the public id "gem".
        assertThat(completion.getString("model")).isEqualTo("gemini-2.5-flash");
        assertThat(completion.getString("id")).isEqualTo("chatcmpl-r");
        assertThat(chunks).hasSize(3).allSatisfy(chunk -> assertThat(chunk).contains("\"model\":\"gemini-2.5-flash\""));
    }

    /** Gemini needs the function's name for a result, which Messages sends only on the call. */
    @Test
    void aMessagesRequestIsMappedStraightToGeminiWithNamedFunctionResponses() {
        ProviderCall call = new ProviderCall(messages("""
                {'model':'gem','max_tokens':40000,
                 'system':[{'type':'text','text':'Be brief.','cache_control':{'type':'ephemeral'}}],
                 'messages':[{'role':'user','content':'Weather and time in Paris?'},
                  {'role':'assistant','content':[{'type':'thinking','thinking':'Two tools.','signature':'c2ln'},
                    {'type':'tool_use','id':'toolu_01','name':'get_weather','input':{'city':'Paris'}},
                    {'type':'tool_use','id':'toolu_02','name':'get_time','input':{}}]},
                  {'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_02','content':'no clock',
                      'is_error':true},
                    {'type':'tool_result','tool_use_id':'toolu_01','content':[{'type':'text','text':'18C'}]}]}],
                 'tools':[{'name':'get_weather','description':'Current weather','input_schema':{'type':'object',
                    'properties':{'city':{'type':'string'}},'required':['city']}},{'name':'get_time','input_schema':
                    {'type':'object','properties':{}}}],
                 'thinking':{'type':'enabled','budget_tokens':32000},'top_k':5,'stop_sequences':['END']}"""),
                MODEL, PROVIDER, "req_test");

        UpstreamRequest upstream = connector.upstreamRequest(call);

        assertThat(upstream.uri().toString()).endsWith("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(Json.parseObject(upstream.body())).isEqualTo(json("""
                {'systemInstruction':{'parts':[{'text':'Be brief.'}]},
                 'contents':[{'role':'user','parts':[{'text':'Weather and time in Paris?'}]},
                   {'role':'model','parts':[{'functionCall':{'name':'get_weather','args':{'city':'Paris'}}},
                                            {'functionCall':{'name':'get_time','args':{}}}]},
                   {'role':'user','parts':[{'functionResponse':{'name':'get_weather','response':{'output':'18C'}}},
                                           {'functionResponse':{'name':'get_time','response':{'error':'no clock'}}}]}],
                 'tools':[{'functionDeclarations':[{'name':'get_weather','description':'Current weather',
                    'parameters':{'type':'OBJECT','properties':{'city':{'type':'STRING'}},'required':['city']}},
                    {'name':'get_time'}]}],
                 'generationConfig':{'topK':5,'maxOutputTokens':40000,'stopSequences':['END'],
                   'thinkingConfig':{'includeThoughts':true,'thinkingBudget':24576}}}"""));
    }

    /**
     * Claude Code's screenshots come back in tool results: the image follows the function response,
     * and Claude's unsigned call still gets Gemini 3's dummy signature, as the image is no new input.
     */
    @Test
    void anImageInAToolResultFollowsItsResponseAndTheCallStaysSigned() {
        ProviderCall call = new ProviderCall(messages("""
                {'model':'gem','max_tokens':100,'messages':[{'role':'user','content':'Look at the screen.'},
                  {'role':'assistant','content':[{'type':'tool_use','id':'toolu_01','name':'screenshot','input':{}}]},
                  {'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_01','content':[
                    {'type':'text','text':'Done.'},
                    {'type':'image','source':{'type':'base64','media_type':'image/png','data':'iVBORw0KGgo='}}]}]}]}"""),
                new ModelConfig("gem", "google", "gemini-3-pro-preview", null), PROVIDER, "req_test");

        JsonObject body = Json.parseObject(connector.upstreamRequest(call).body());

        assertThat(body.getJsonArray("contents")).isEqualTo(json("""
                {'c':[{'role':'user','parts':[{'text':'Look at the screen.'}]},
                  {'role':'model','parts':[{'functionCall':{'name':'screenshot','args':{}},
                                            'thoughtSignature':'skip_thought_signature_validator'}]},
                  {'role':'user','parts':[{'functionResponse':{'name':'screenshot','response':{'output':'Done.'}}},
                                          {'inlineData':{'mimeType':'image/png','data':'iVBORw0KGgo='}}]}]}""")
                .getJsonArray("c"));
    }

    @Test
    void aResponsesRequestIsMappedStraightToGemini() {
        ProviderCall call = new ProviderCall(responses("""
                {'model':'gem','instructions':'Be brief.','stream':true,'input':[
                  {'role':'user','content':[{'type':'input_text','text':'Weather?'},
                    {'type':'input_image','image_url':'data:image/png;base64,iVBORw0KGgo='}]},
                  {'type':'function_call','call_id':'call_9','name':'get_weather','arguments':'{\\'city\\':\\'Rome\\'}'},
                  {'type':'function_call_output','call_id':'call_9','output':'24C'}],
                 'tools':[{'type':'function','name':'get_weather','parameters':{'type':'object',
                    'properties':{'city':{'type':'string'}}}}],
                 'tool_choice':'required','reasoning':{'effort':'low'},'max_output_tokens':50}"""),
                MODEL, PROVIDER, "req_test");

        UpstreamRequest upstream = connector.upstreamRequest(call);

        assertThat(upstream.uri().toString()).endsWith(":streamGenerateContent?alt=sse");
        assertThat(Json.parseObject(upstream.body())).isEqualTo(json("""
                {'systemInstruction':{'parts':[{'text':'Be brief.'}]},
                 'contents':[{'role':'user','parts':[{'text':'Weather?'},
                     {'inlineData':{'mimeType':'image/png','data':'iVBORw0KGgo='}}]},
                   {'role':'model','parts':[{'functionCall':{'name':'get_weather','args':{'city':'Rome'}}}]},
                   {'role':'user','parts':[{'functionResponse':{'name':'get_weather','response':{'output':'24C'}}}]}],
                 'tools':[{'functionDeclarations':[{'name':'get_weather',
                    'parameters':{'type':'OBJECT','properties':{'city':{'type':'STRING'}}}}]}],
                 'toolConfig':{'functionCallingConfig':{'mode':'ANY'}},
                 'generationConfig':{'maxOutputTokens':1074,
                   'thinkingConfig':{'includeThoughts':true,'thinkingBudget':1024}}}"""));
    }

    @Test
    void anUnknownEffortIsA400NamingTheDoorsOwnField() {
        ProviderCall responses = new ProviderCall(responses("""
                {'model':'gem','input':'Hi','reasoning':{'effort':'extreme'}}"""), MODEL, PROVIDER, "req_test");
        ProviderCall messages = new ProviderCall(messages("""
                {'model':'gem','max_tokens':10,'messages':[{'role':'user','content':'Hi'}],
                 'output_config':{'effort':'extreme'}}"""), MODEL, PROVIDER, "req_test");

        assertThatThrownBy(() -> connector.upstreamRequest(responses))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo("reasoning.effort");
                });
        assertThatThrownBy(() -> connector.upstreamRequest(messages))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo("output_config.effort");
                });
    }

    private static final byte[] TOOL_REPLY = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Checking.","thought":true},{"text":"Let me look."},
               {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"U2ln"}]},
               "finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":7,"thoughtsTokenCount":3,"totalTokenCount":30},
             "modelVersion":"gemini-2.5-flash-001","responseId":"r1"}""".getBytes(StandardCharsets.UTF_8);

    @Test
    void aWholeReplyToAMessagesRequestIsAMessage() {
        ProviderCall call = new ProviderCall(messages(
                "{'model':'gem','max_tokens':100,'messages':[{'role':'user','content':'Weather?'}]}"), MODEL, PROVIDER, "req_test");

        var completion = connector.completion(call, TOOL_REPLY, TOOL_REPLY.length);
        JsonObject message = Json.parseObject(completion.json());

        assertThat(message.getString("type")).isEqualTo("message");
        assertThat(message.getString("id")).startsWith("msg_");
        assertThat(message.getString("model")).isEqualTo("gemini-2.5-flash-001");
        assertThat(message.getJsonArray("content")).isEqualTo(json("""
                {'c':[{'type':'thinking','thinking':'Checking.','signature':''},{'type':'text','text':'Let me look.'},
                  {'type':'tool_use','id':'call_r1_0_0__thought__U2ln','name':'get_weather','input':{'city':'Paris'}}]}""")
                .getJsonArray("c"));
        assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
        assertThat(message.getJsonObject("usage").getInt("input_tokens")).isEqualTo(20);
        assertThat(message.getJsonObject("usage").getInt("output_tokens")).isEqualTo(10);
        assertThat(completion.usage()).isEqualTo(new dev.switchboard.llm.Usage(20, 10, 0, 3));
    }

    @Test
    void aWholeReplyToAResponsesRequestIsAResponse() {
        ProviderCall call = new ProviderCall(responses("{'model':'gem','input':'Weather?'}"), MODEL, PROVIDER, "req_test");

        JsonObject response = Json.parseObject(connector.completion(call, TOOL_REPLY, TOOL_REPLY.length).json());

        assertThat(response.getString("object")).isEqualTo("response");
        assertThat(response.getString("status")).isEqualTo("completed");
        var output = response.getJsonArray("output");
        assertThat(output).extracting(item -> item.asJsonObject().getString("type"))
                .containsExactly("reasoning", "message", "function_call");
        JsonObject functionCall = output.getJsonObject(2);
        assertThat(functionCall.getString("call_id")).isEqualTo("call_r1_0_0__thought__U2ln");
        assertThat(functionCall.getString("name")).isEqualTo("get_weather");
        assertThat(Json.parseObject(functionCall.getString("arguments"))).isEqualTo(json("{'city':'Paris'}"));
    }

    /** Gemini has no count_tokens that Switchboard calls: the estimate answers, and nothing goes upstream. */
    @Test
    void countTokensIsEstimatedWithoutAnUpstreamCall() {
        byte[] body = "{\"model\":\"gem\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        java.util.List<byte[]> answers = new java.util.ArrayList<>();
        dev.switchboard.provider.ResponseSink sink = new dev.switchboard.provider.ResponseSink() {
            @Override
            public void completion(byte[] json, dev.switchboard.llm.Usage usage) {
                answers.add(json);
            }

            @Override
            public void fail(dev.switchboard.provider.Failure failure) {
                throw new AssertionError(failure.toString());
            }

            @Override
            public void streamStart() {
                throw new AssertionError("no stream");
            }

            @Override
            public void chunk(dev.switchboard.sse.SseEvent event) {
                throw new AssertionError("no stream");
            }

            @Override
            public void streamEnd(dev.switchboard.llm.Usage usage) {
                throw new AssertionError("no stream");
            }

            @Override
            public boolean hasRoom() {
                return true;
            }

            @Override
            public void whenRoom(Runnable resume) {
                resume.run();
            }
        };

        // The connector has no HTTP client: a call upstream would fail.
        connector.start(new ProviderCall(dev.switchboard.ingress.messages.MessagesRequest.parse(body, body.length, true,
                null), MODEL, PROVIDER, "req_test"), sink);

        assertThat(answers).hasSize(1);
        assertThat(Json.parseObject(answers.get(0)).getInt("input_tokens")).isPositive();
    }

    private static dev.switchboard.ingress.messages.MessagesRequest messages(String singleQuoted) {
        byte[] body = singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        return dev.switchboard.ingress.messages.MessagesRequest.parse(body, body.length, false, null);
    }

    private static dev.switchboard.ingress.responses.ResponsesRequest responses(String singleQuoted) {
        byte[] body = singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        return dev.switchboard.ingress.responses.ResponsesRequest.parse(body, body.length);
    }

    private static UpstreamResponse response(int status, Map<String, String> headers) {
        return new UpstreamResponse() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public String header(String name) {
                return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
            }
        };
    }
}
