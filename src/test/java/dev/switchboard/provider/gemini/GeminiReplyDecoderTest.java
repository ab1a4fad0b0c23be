package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.gemini.TestJson.json;
import static dev.switchboard.provider.gemini.TestJson.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.FailureKind;
import dev.switchboard.provider.http.CompletionBody;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole {@code generateContent} replies in, decoded into the internal model and written by the
 * Chat door's encoder: {@code chat.completion} out (docs/protocols/openai-to-gemini.md B5).
 */
class GeminiReplyDecoderTest {
    private static final ModelConfig MODEL = new ModelConfig("gem", "google", "gemini-2.5-pro", null);

    private static CompletionBody translate(String clientRequest, String geminiReply) {
        return translate(request(clientRequest), geminiReply, ReplyContext.of(request(clientRequest).llmRequest(), MODEL,
                "fallback"));
    }

    /** As the connector answers a Chat request, with {@link StreamHarness#CREATED} for the clock's {@code created}. */
    private static CompletionBody translate(ChatRequest clientRequest, String geminiReply, ReplyContext context) {
        byte[] body = geminiReply.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        // A larger buffer than the body, as HttpAttempt hands it over.
        byte[] buffer = java.util.Arrays.copyOf(body, body.length + 16);
        LlmResponse reply = GeminiReplyDecoder.decode(buffer, body.length, context);
        String json = StreamHarness.created(TestJson.utf8(clientRequest.format().response(reply, "req")));
        return new CompletionBody(json.getBytes(StandardCharsets.UTF_8), reply.usage());
    }

    private static final String ONE = "{'model':'gem','messages':[{'role':'user','content':'x'}]}";

    @Test
    void translatesEveryCandidateWithTextThoughtsCallsAndUsage() {
        CompletionBody completion = translate("{'model':'gem','messages':[{'role':'user','content':'x'}],'n':2}", """
                {'candidates':[
                  {'content':{'role':'model','parts':[{'text':'Planning.','thought':true},{'text':'Checking '},
                     {'text':'Paris.'},{'functionCall':{'name':'get_weather','args':{'city':'Paris'}},'thoughtSignature':'U2ln+/A='},
                     {'functionCall':{'id':'g-2','name':'get_time','args':{}}}]},
                   'finishReason':'STOP','index':0},
                  {'content':{'role':'model','parts':[{'text':'Sunny.'}]},'finishReason':'MAX_TOKENS','index':1}],
                 'usageMetadata':{'promptTokenCount':120,'cachedContentTokenCount':64,'candidatesTokenCount':12,
                   'thoughtsTokenCount':40,'totalTokenCount':172},
                 'modelVersion':'gemini-2.5-pro-001','responseId':'abc123'}""");

        assertThat(Json.parseObject(completion.json())).isEqualTo(json("""
                {'id':'chatcmpl-abc123','object':'chat.completion','created':1767225600,'model':'gemini-2.5-pro-001','choices':[
                  {'index':0,'message':{'role':'assistant','content':'Checking Paris.','refusal':null,
                     'reasoning_content':'Planning.','tool_calls':[
                       {'id':'call_abc123_0_0__thought__U2ln+/A=','type':'function',
                        'function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}},
                       {'id':'gcall_g-2','type':'function','function':{'name':'get_time','arguments':'{}'}}]},
                   'logprobs':null,'finish_reason':'tool_calls'},
                  {'index':1,'message':{'role':'assistant','content':'Sunny.','refusal':null},'logprobs':null,
                   'finish_reason':'length'}],
                 'usage':{'prompt_tokens':120,'completion_tokens':52,'total_tokens':172,
                   'prompt_tokens_details':{'cached_tokens':64},'completion_tokens_details':{'reasoning_tokens':40}}}"""));
        assertThat(completion.usage()).isEqualTo(new Usage(120, 52, 64, 40));
    }

    /** The prompt tool use added is counted apart by Gemini and billed as input (docs/spend.md, "Usage"). */
    @Test
    void toolUsePromptTokensCountAsPrompt() {
        CompletionBody completion = translate("{'model':'gem','messages':[{'role':'user','content':'x'}]}", """
                {'candidates':[{'content':{'role':'model','parts':[{'text':'Found.'}]},'finishReason':'STOP','index':0}],
                 'usageMetadata':{'promptTokenCount':10,'toolUsePromptTokenCount':300,'candidatesTokenCount':4,
                   'thoughtsTokenCount':6,'totalTokenCount':320}}""");

        assertThat(completion.usage()).isEqualTo(new Usage(310, 10, 0, 6));
        assertThat(completion.usage().totalTokens()).isEqualTo(320);
    }

    @Test
    void reportsTheModelGeminiNamesElseTheConfiguredUpstreamModel() {
        String reply = "{'candidates':[{'content':{'parts':[{'text':'A'}]},'finishReason':'STOP'}],'responseId':'r'%s}";
        ReplyContext prefixed = ReplyContext.of(request(ONE).llmRequest(),
                new ModelConfig("gem", "google", "models/gemini-2.5-pro", null), "fallback");

        assertThat(Json.parseObject(translate(ONE, reply.formatted(",'model_version':'gemini-2.5-pro-002'")).json())
                .getString("model")).isEqualTo("gemini-2.5-pro-002");
        assertThat(Json.parseObject(translate(ONE, reply.formatted("")).json()).getString("model")).isEqualTo("gemini-2.5-pro");
        assertThat(Json.parseObject(translate(request(ONE), reply.formatted(""), prefixed).json())
                .getString("model")).isEqualTo("gemini-2.5-pro");
    }

    @Test
    void ordersChoicesByCandidateIndex() {
        CompletionBody completion = translate(ONE, """
                {'candidates':[{'content':{'parts':[{'text':'B'}]},'finishReason':'STOP','index':1},
                               {'content':{'parts':[{'text':'A'}]},'finishReason':'STOP','index':0}],'responseId':'r'}""");

        var choices = Json.parseObject(completion.json()).getJsonArray("choices");
        assertThat(choices.getJsonObject(0).getInt("index")).isZero();
        assertThat(choices.getJsonObject(0).getJsonObject("message").getString("content")).isEqualTo("A");
        assertThat(choices.getJsonObject(1).getJsonObject("message").getString("content")).isEqualTo("B");
    }

    /** The blocks keep the parts' order, as the stream does, for doors whose replies are a list of blocks. */
    @Test
    void decodesEachCandidateIntoBlocksInPartOrder() {
        byte[] body = """
                {"candidates":[{"content":{"parts":[{"text":"Plan","thought":true},{"text":"A"},{"text":"B"},
                   {"functionCall":{"name":"f","args":{}}},{"text":"C"}]},"finishReason":"STOP","index":0},
                 {"content":{"parts":[{"text":"D"}]},"finishReason":"MAX_TOKENS","index":1}],"responseId":"r"}"""
                .getBytes(StandardCharsets.UTF_8);

        LlmResponse reply = GeminiReplyDecoder.decode(body, body.length, ReplyContext.of(
                request("{'model':'gem','messages':[{'role':'user','content':'x'}],'n':2}").llmRequest(), MODEL, "k"));

        assertThat(reply.content()).extracting(block -> block.getClass().getSimpleName())
                .containsExactly("Reasoning", "Text", "FunctionCall", "Text");
        assertThat(((dev.switchboard.llm.Content.Text) reply.content().get(1)).text()).isEqualTo("AB");
        assertThat(reply.finish()).isEqualTo(dev.switchboard.llm.FinishReason.TOOL_CALLS);
        assertThat(reply.alternatives()).singleElement().satisfies(alternative -> {
            assertThat(alternative.content()).singleElement().isEqualTo(new dev.switchboard.llm.Content.Text("D", null,
                    "candidates[1].content.parts"));
            assertThat(alternative.finish()).isEqualTo(dev.switchboard.llm.FinishReason.LENGTH);
        });
    }

    @Test
    void blockedPromptIsAContentFilterChoicePerRequestedChoice() {
        CompletionBody completion = translate("{'model':'gem','messages':[{'role':'user','content':'x'}],'n':2}", """
                {'promptFeedback':{'blockReason':'SAFETY','safetyRatings':[{'category':'HARM_CATEGORY_HARASSMENT',
                  'probability':'HIGH','blocked':true}]},'usageMetadata':{'promptTokenCount':8,'totalTokenCount':8},
                 'responseId':'blk'}""");

        assertThat(Json.parseObject(completion.json())).isEqualTo(json("""
                {'id':'chatcmpl-blk','object':'chat.completion','created':1767225600,'model':'gemini-2.5-pro','choices':[
                  {'index':0,'message':{'role':'assistant','content':null,'refusal':null},'logprobs':null,
                   'finish_reason':'content_filter'},
                  {'index':1,'message':{'role':'assistant','content':null,'refusal':null},'logprobs':null,
                   'finish_reason':'content_filter'}],
                 'usage':{'prompt_tokens':8,'completion_tokens':0,'total_tokens':8,
                   'prompt_tokens_details':{'cached_tokens':0},'completion_tokens_details':{'reasoning_tokens':0}}}"""));
    }

    @Test
    void candidateStoppedBySafetyHasNullContentAndContentFilter() {
        CompletionBody completion = translate(ONE, """
                {'candidates':[{'finishReason':'SAFETY','index':0,'safetyRatings':[{'category':'HARM_CATEGORY_HARASSMENT',
                  'probability':'HIGH','blocked':true}]}],'responseId':'s'}""");

        var choice = Json.parseObject(completion.json()).getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getJsonObject("message").isNull("content")).isTrue();
        assertThat(choice.getString("finish_reason")).isEqualTo("content_filter");
        assertThat(completion.usage()).as("no usageMetadata: unknown, not zero").isNull();
    }

    @Test
    void replyWithoutCandidatesOrBlockReasonIsAnUpstreamError() {
        assertThatThrownBy(() -> translate(ONE, "{'usageMetadata':{'promptTokenCount':3},'responseId':'e'}"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(502);
                    assertThat(e.error().message()).contains("Provider 'google'").contains("without any candidate");
                });
    }

    /** A failed turn with nothing usable, in the shapes Gemini sends it. */
    static Stream<Arguments> emptyFailures() {
        return Stream.of(
                Arguments.of("MALFORMED_FUNCTION_CALL", "{'candidates':[{'content':{},'finishReason':'MALFORMED_FUNCTION_CALL',"
                        + "'finishMessage':'Malformed function call: print(default_api.f(x=))','index':0}],'responseId':'m'}"),
                Arguments.of("UNEXPECTED_TOOL_CALL", "{'candidates':[{'finishReason':'UNEXPECTED_TOOL_CALL','index':0}]}"),
                Arguments.of("TOO_MANY_TOOL_CALLS", "{'candidates':[{'content':{'role':'model','parts':[]},"
                        + "'finishReason':'TOO_MANY_TOOL_CALLS'}]}"),
                Arguments.of("OTHER", "{'candidates':[{'content':{'parts':[{'text':''}]},'finishReason':'OTHER'}]}"),
                Arguments.of("MALFORMED_FUNCTION_CALL", "{'candidates':[{'content':{'parts':[{'text':'Let me call f.',"
                        + "'thought':true}]},'finish_reason':'MALFORMED_FUNCTION_CALL'}]}"),
                Arguments.of("MISSING_THOUGHT_SIGNATURE", "{'candidates':[{'finishReason':'MISSING_THOUGHT_SIGNATURE'}]}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("emptyFailures")
    void aFailedTurnWithNoContentIsARetryable502NamingTheReasonNotAnEmptyStop(String reason, String reply) {
        assertThatThrownBy(() -> translate(ONE, reply))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(502);
                    assertThat(e.error().code()).isEqualTo("upstream_error");
                    assertThat(FailureKind.of(e.error().kind()).retryable()).isTrue();
                    assertThat(e.error().message()).startsWith("Provider 'google' ended its reply with finishReason "
                            + reason + " and no content.");
                });
    }

    @Test
    void theErrorQuotesGeminisFinishMessageShortened() {
        String long_ = "x".repeat(FinishReasons.MAX_FINISH_MESSAGE + 50);
        assertThatThrownBy(() -> translate(ONE, "{'candidates':[{'finishReason':'MALFORMED_FUNCTION_CALL',"
                + "'finishMessage':'" + long_ + "'}]}"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().message())
                        .endsWith(" Gemini said: " + "x".repeat(FinishReasons.MAX_FINISH_MESSAGE) + "…"));
        assertThatThrownBy(() -> translate(ONE, "{'candidates':[{'content':{},'finishReason':'MALFORMED_FUNCTION_CALL',"
                + "'finishMessage':'Malformed function call: f(x=)'}]}"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().message())
                        .endsWith(" Gemini said: Malformed function call: f(x=)"));
    }

    @Test
    void aFailedTurnWithSomeContentOrBesideAnAnswerStaysA200Stop() {
        var partial = Json.parseObject(translate(ONE, """
                {'candidates':[{'content':{'parts':[{'text':'Calling f now.'}]},'finishReason':'MALFORMED_FUNCTION_CALL'}]}""")
                .json()).getJsonArray("choices").getJsonObject(0);
        var two = Json.parseObject(translate("{'model':'gem','messages':[{'role':'user','content':'x'}],'n':2}", """
                {'candidates':[{'content':{'parts':[{'text':'A'}]},'finishReason':'STOP','index':0},
                               {'finishReason':'MALFORMED_FUNCTION_CALL','index':1}]}""").json()).getJsonArray("choices");
        var emptyStop = Json.parseObject(translate(ONE, "{'candidates':[{'content':{'parts':[]},'finishReason':'STOP'}]}")
                .json()).getJsonArray("choices").getJsonObject(0);

        assertThat(partial.getJsonObject("message").getString("content")).isEqualTo("Calling f now.");
        assertThat(partial.getString("finish_reason")).isEqualTo("stop");
        assertThat(two.getJsonObject(1).getJsonObject("message").isNull("content")).isTrue();
        assertThat(two.getJsonObject(1).getString("finish_reason")).isEqualTo("stop");
        assertThat(emptyStop.getString("finish_reason")).as("a plain STOP is Gemini's own empty answer").isEqualTo("stop");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"<html>Bad gateway</html>", "[]",
            "{'candidates':['not a candidate']}", "{'candidates':[{'content':{'parts':[{'text':'a'}]}}"})
    void aBodyThatIsNotAResponseIsTheProvidersNonRetryable502(String body) {
        assertThatThrownBy(() -> translate(ONE, body))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error()).isEqualTo(
                        new dev.switchboard.error.GatewayError(dev.switchboard.error.ErrorKind.UPSTREAM_PROTOCOL, 502, "server_error", "upstream_protocol_error", null,
                                "Provider 'google' sent a reply that Switchboard could not read.", null)));
    }

    @Test
    void errorObjectInA200BodyIsMapped() {
        assertThatThrownBy(() -> translate(ONE, "{'error':{'code':429,'message':'Quota exceeded','status':'RESOURCE_EXHAUSTED'}}"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(429);
                    assertThat(e.error().type()).isEqualTo("rate_limit_error");
                });
    }

    @Test
    void usesTheFallbackKeyWithoutResponseId() {
        CompletionBody completion = translate(ONE, """
                {'candidates':[{'content':{'parts':[{'functionCall':{'name':'f','args':{'n':1}}}]},'finishReason':'STOP'}]}""");

        var result = Json.parseObject(completion.json());
        assertThat(result.getString("id")).isEqualTo("chatcmpl-fallback");
        assertThat(result.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getJsonArray("tool_calls")
                .getJsonObject(0).getString("id")).isEqualTo("call_fallback_0_0");
    }

    static Stream<Arguments> finishReasons() {
        return Stream.of(
                Arguments.of("STOP", false, "stop"),
                Arguments.of("STOP", true, "tool_calls"),
                Arguments.of(null, true, "tool_calls"),
                Arguments.of(null, false, "stop"),
                Arguments.of("MAX_TOKENS", false, "length"),
                Arguments.of("MAX_TOKENS", true, "length"),
                Arguments.of("SAFETY", false, "content_filter"),
                Arguments.of("SAFETY", true, "content_filter"),
                Arguments.of("RECITATION", false, "content_filter"),
                Arguments.of("LANGUAGE", false, "content_filter"),
                Arguments.of("BLOCKLIST", false, "content_filter"),
                Arguments.of("PROHIBITED_CONTENT", false, "content_filter"),
                Arguments.of("SPII", false, "content_filter"),
                Arguments.of("IMAGE_SAFETY", false, "content_filter"),
                Arguments.of("IMAGE_PROHIBITED_CONTENT", false, "content_filter"),
                Arguments.of("IMAGE_RECITATION", false, "content_filter"),
                Arguments.of("IMAGE_OTHER", false, "content_filter"),
                Arguments.of("NO_IMAGE", false, "content_filter"),
                Arguments.of("OTHER", false, "stop"),
                Arguments.of("MALFORMED_FUNCTION_CALL", false, "stop"),
                Arguments.of("UNEXPECTED_TOOL_CALL", false, "stop"),
                Arguments.of("TOO_MANY_TOOL_CALLS", false, "stop"),
                Arguments.of("FINISH_REASON_UNSPECIFIED", false, "stop"),
                Arguments.of("SOMETHING_NEW", false, "stop"));
    }

    @ParameterizedTest(name = "{0} (function calls: {1}) -> {2}")
    @MethodSource("finishReasons")
    void mapsFinishReasons(String gemini, boolean hasToolCalls, String openAi) {
        assertThat(FinishReasons.map(gemini, hasToolCalls)).isEqualTo(openAi);
    }
}
